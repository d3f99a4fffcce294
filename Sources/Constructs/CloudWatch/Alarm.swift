import CloudFormation
import Synthesis

/// A CloudWatch metric.
public struct Metric {
    public let namespace: String
    public let name: String
    public let dimensions: [(name: String, value: Value)]
    /// `Sum`, `Average`, `Maximum`, `Minimum`, `SampleCount`, or a percentile such as `p99`.
    public let statistic: String
    public let period: Int

    public init(namespace: String, name: String, dimensions: [(name: String, value: Value)], statistic: String = "Sum", period: Int = 300) {
        self.namespace = namespace
        self.name = name
        self.dimensions = dimensions
        self.statistic = statistic
        self.period = period
    }

    var dimensionsValue: Value {
        .list(dimensions.map { ["Name": .string($0.name), "Value": $0.value] })
    }
}

/// When an alarm's value crosses its threshold.
public enum ComparisonOperator: String, Sendable {
    case greaterThanThreshold = "GreaterThanThreshold"
    case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
    case lessThanThreshold = "LessThanThreshold"
    case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"
}

/// A CloudWatch alarm on a metric or on a metric-math expression, notifying a topic.
///
/// Emits `AWS::CloudWatch::Alarm`. Missing data is treated as not breaching (a quiet service is
/// not an incident). The topic hears both ALARM and OK. Not stateful.
///
///     Alarm(in: stack, "Throttles", metric: Metric(namespace: "AWS/Lambda", name: "Throttles",
///           dimensions: [("FunctionName", fn.name)]), threshold: 0, topic: alerts)
///
/// Helpers make the usual ones: `function.alarmOnErrors(topic:)`, `api.alarmOn5xx(stage:topic:)`,
/// `table.alarmOnThrottles(topic:)` and others.
public final class Alarm: Construct {
    public let threshold: Double
    public private(set) var resource: CfnResource!

    /// An alarm on one metric.
    @discardableResult
    public convenience init(
        in scope: Construct, _ id: String, metric: Metric, threshold: Double, comparison: ComparisonOperator = .greaterThanThreshold,
        evaluationPeriods: Int = 1, description: String? = nil, topic: Topic?, file: String = #fileID, line: Int = #line
    ) {
        var properties: Object = ["Namespace": .string(metric.namespace), "MetricName": .string(metric.name), "Dimensions": metric.dimensionsValue]
        if metric.statistic.hasPrefix("p") {
            properties["ExtendedStatistic"] = .string(metric.statistic)
        } else {
            properties["Statistic"] = .string(metric.statistic)
        }
        properties["Period"] = .int(metric.period)
        self.init(in: scope, id, properties: properties, threshold: threshold, comparison: comparison, evaluationPeriods: evaluationPeriods,
                  description: description, topic: topic, file: file, line: line)
    }

    /// An alarm on a metric-math `expression` over `metrics` (named by their ids in it).
    @discardableResult
    public convenience init(
        in scope: Construct, _ id: String, expression: String, label: String, metrics: [(id: String, metric: Metric)],
        threshold: Double, comparison: ComparisonOperator = .greaterThanThreshold, evaluationPeriods: Int = 1,
        description: String? = nil, topic: Topic?, file: String = #fileID, line: Int = #line
    ) {
        var queries: [Value] = [["Id": "result", "Expression": .string(expression), "Label": .string(label), "ReturnData": true]]
        for (metricId, metric) in metrics {
            queries.append([
                "Id": .string(metricId),
                "MetricStat": [
                    "Metric": ["Namespace": .string(metric.namespace), "MetricName": .string(metric.name), "Dimensions": metric.dimensionsValue],
                    "Period": .int(metric.period), "Stat": .string(metric.statistic),
                ],
                "ReturnData": false,
            ])
        }
        self.init(in: scope, id, properties: ["Metrics": .list(queries)], threshold: threshold, comparison: comparison,
                  evaluationPeriods: evaluationPeriods, description: description, topic: topic, file: file, line: line)
    }

    init(
        in scope: Construct, _ id: String, properties metricProperties: Object, threshold: Double, comparison: ComparisonOperator,
        evaluationPeriods: Int, description: String?, topic: Topic?, file: String, line: Int
    ) {
        self.threshold = threshold
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = [:]
        if let description { properties["AlarmDescription"] = .string(description) }
        for (key, value) in metricProperties.entries { properties[key] = value }
        properties["EvaluationPeriods"] = .int(evaluationPeriods)
        properties["Threshold"] = .double(threshold)
        properties["ComparisonOperator"] = .string(comparison.rawValue)
        properties["TreatMissingData"] = "notBreaching"
        if let topic {
            properties["AlarmActions"] = [topic.arn]
            properties["OKActions"] = [topic.arn]
        }
        resource = CfnResource(in: self, type: "AWS::CloudWatch::Alarm", properties: properties, file: file, line: line)
    }

    public override func validate() -> [Diagnostic] {
        threshold < 0
            ? [.construct(self, "alarm threshold \(threshold) is negative", hint: "counts, rates and durations are never negative; use 0 to alarm on any occurrence")]
            : []
    }
}
