import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct AlarmTests {
    @Test func errorRateAlarmUsesMetricMathAndNotifiesTheTopic() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            function.alarmOnErrors(topic: Topic(in: stack, "Alerts"), ratePercent: 1)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              FnErrorsAlarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmDescription: 'Test/Fn: more than 1.0% of invocations failed'
                  Metrics:
                  - Id: result
                    Expression: IF(invocations > 0, 100 * errors / invocations, 0)
                    Label: Error rate (%)
                    ReturnData: true
                  - Id: errors
                    MetricStat:
                      Metric:
                        Namespace: AWS/Lambda
                        MetricName: Errors
                        Dimensions:
                        - Name: FunctionName
                          Value: !Ref Fn
                      Period: 300
                      Stat: Sum
                    ReturnData: false
            """))
        #expect(yaml.contains("""
                  Threshold: 1.0
                  ComparisonOperator: GreaterThanThreshold
                  TreatMissingData: notBreaching
                  AlarmActions:
                  - !Ref Alerts
                  OKActions:
                  - !Ref Alerts
            """))
        // Alarms can publish to the topic: its key lets CloudWatch use it.
        #expect(yaml.contains("Service: cloudwatch.amazonaws.com"))
        #expect(yaml.contains("KmsMasterKeyId: !Ref AlertsKey"))
    }

    @Test func percentileStatisticsAreExtendedStatistics() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            Function(in: stack, "Fn", handler: "a.b", code: .inline("x")).alarmOnDuration(topic: nil, seconds: 10)
        }
        let alarm = try #require(app.stack(named: "dev-Test")?.template.resource("FnDurationAlarm"))
        #expect(alarm.properties["ExtendedStatistic"] == "p99")
        #expect(alarm.properties["Threshold"] == .double(10000))
    }

    @Test func negativeThresholdIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let table = Table(in: stack, "Items", partitionKey: .string("Id"))
            Alarm(in: stack, "Odd", metric: Metric(namespace: "AWS/DynamoDB", name: "ThrottledRequests", dimensions: [("TableName", table.name)]),
                  threshold: -1, topic: nil)
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Odd: alarm threshold -1.0 is negative"])
    }
}
