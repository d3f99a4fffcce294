import CloudFormation
import Synthesis

extension Function {
    private func metric(_ name: String, statistic: String = "Sum") -> Metric {
        Metric(namespace: "AWS/Lambda", name: name, dimensions: [("FunctionName", self.name)], statistic: statistic, period: 300)
    }

    /// Alarms when more than `ratePercent` of invocations fail over five minutes: 1% by default.
    @discardableResult
    public func alarmOnErrors(topic: Topic?, ratePercent: Double = 1, file: String = #fileID, line: Int = #line) -> Alarm {
        Alarm(
            in: self, "ErrorsAlarm", expression: "IF(invocations > 0, 100 * errors / invocations, 0)", label: "Error rate (%)",
            metrics: [("errors", metric("Errors")), ("invocations", metric("Invocations"))], threshold: ratePercent,
            description: "\(relativePath): more than \(ratePercent)% of invocations failed", topic: topic, file: file, line: line)
    }

    /// Alarms when the 99th percentile duration exceeds `seconds`: 10 by default.
    @discardableResult
    public func alarmOnDuration(topic: Topic?, seconds: Double = 10, file: String = #fileID, line: Int = #line) -> Alarm {
        Alarm(
            in: self, "DurationAlarm", metric: metric("Duration", statistic: "p99"), threshold: seconds * 1000,
            description: "\(relativePath): p99 duration above \(seconds) s", topic: topic, file: file, line: line)
    }

    /// Alarms on any throttled invocation.
    @discardableResult
    public func alarmOnThrottles(topic: Topic?, file: String = #fileID, line: Int = #line) -> Alarm {
        Alarm(in: self, "ThrottlesAlarm", metric: metric("Throttles"), threshold: 0,
              description: "\(relativePath): invocations throttled", topic: topic, file: file, line: line)
    }
}

extension HttpApi {
    private func metric(_ name: String, stage: ApiStage, statistic: String = "Sum") -> Metric {
        Metric(namespace: "AWS/ApiGateway", name: name, dimensions: [("ApiId", apiId), ("Stage", .string(stage.name))], statistic: statistic, period: 300)
    }

    /// Alarms when more than `ratePercent` of requests to `stage` end in 5xx: 1% by default.
    @discardableResult
    public func alarmOn5xx(stage: ApiStage, topic: Topic?, ratePercent: Double = 1, file: String = #fileID, line: Int = #line) -> Alarm {
        errorRateAlarm("5xx", stage: stage, topic: topic, ratePercent: ratePercent, file: file, line: line)
    }

    /// Alarms when more than `ratePercent` of requests to `stage` end in 4xx: 5% by default.
    @discardableResult
    public func alarmOn4xx(stage: ApiStage, topic: Topic?, ratePercent: Double = 5, file: String = #fileID, line: Int = #line) -> Alarm {
        errorRateAlarm("4xx", stage: stage, topic: topic, ratePercent: ratePercent, file: file, line: line)
    }

    /// Alarms when the 99th percentile latency of `stage` exceeds `seconds`: 2 by default.
    @discardableResult
    public func alarmOnLatency(stage: ApiStage, topic: Topic?, seconds: Double = 2, file: String = #fileID, line: Int = #line) -> Alarm {
        Alarm(in: self, "LatencyAlarm", metric: metric("Latency", stage: stage, statistic: "p99"), threshold: seconds * 1000,
              description: "\(relativePath): p99 latency above \(seconds) s", topic: topic, file: file, line: line)
    }

    private func errorRateAlarm(_ kind: String, stage: ApiStage, topic: Topic?, ratePercent: Double, file: String, line: Int) -> Alarm {
        Alarm(
            in: self, "Errors\(kind)Alarm", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "\(kind) rate (%)",
            metrics: [("errors", metric(kind, stage: stage)), ("requests", metric("Count", stage: stage))], threshold: ratePercent,
            description: "\(relativePath): more than \(ratePercent)% of requests answered \(kind)", topic: topic, file: file, line: line)
    }
}

extension Table {
    /// Alarms on any throttled read or write (seed 004's monitoring table).
    @discardableResult
    public func alarmOnThrottles(topic: Topic?, file: String = #fileID, line: Int = #line) -> Alarm {
        func metric(_ name: String) -> Metric {
            Metric(namespace: "AWS/DynamoDB", name: name, dimensions: [("TableName", self.name)], statistic: "Sum", period: 300)
        }
        return Alarm(
            in: self, "ThrottlesAlarm", expression: "reads + writes", label: "Throttled events",
            metrics: [("reads", metric("ReadThrottleEvents")), ("writes", metric("WriteThrottleEvents"))], threshold: 0,
            description: "\(relativePath): reads or writes throttled", topic: topic, file: file, line: line)
    }
}
