import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct TopicTests {
    @Test func anInvalidEmailAddressIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Topic(in: Stack(in: app, "Test"), "Alerts").addSubscription(.email("ops at example.com"), line: 7000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TopicTests.swift:7000: error: dev/Test/Alerts: 'ops at example.com' is not an e-mail address
              hint: write one address, e.g. ops@example.com
            """])
    }

    @Test func subscriptionsForAnAddressAQueueAndAFunction() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            let alerts = Topic(in: stack, "Alerts")
            alerts.addSubscription(.email("ops@example.com"))
            alerts.addSubscription(.queue(Queue(in: stack, "Fanout"), rawMessageDelivery: true))
            alerts.addSubscription(.function(thumbnailer))
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              AlertsEmail1:
                Type: AWS::SNS::Subscription
                Properties:
                  Endpoint: ops@example.com
                  Protocol: email
                  TopicArn: !Ref Alerts
            """))
        #expect(yaml.contains("""
              FanoutPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: sns.amazonaws.com
                      Action: sqs:SendMessage
                      Resource: !GetAtt Fanout.Arn
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !Ref Alerts
                  Queues:
                  - !Ref Fanout
            """))
        #expect(yaml.contains("""
              FanoutAlertsSubscription:
                Type: AWS::SNS::Subscription
                Properties:
                  Endpoint: !GetAtt Fanout.Arn
                  Protocol: sqs
                  RawMessageDelivery: true
                  TopicArn: !Ref Alerts
            """))
        #expect(yaml.contains("""
              ThumbnailerAlertsPermission:
                Type: AWS::Lambda::Permission
                Properties:
                  Action: lambda:InvokeFunction
                  FunctionName: !GetAtt Thumbnailer.Arn
                  Principal: sns.amazonaws.com
                  SourceArn: !Ref Alerts
            """))
        #expect(yaml.contains("""
              ThumbnailerAlertsSubscription:
                Type: AWS::SNS::Subscription
                Properties:
                  Endpoint: !GetAtt Thumbnailer.Arn
                  Protocol: lambda
                  TopicArn: !Ref Alerts
            """))
        #expect(yaml.contains("SqsManagedSseEnabled: true"))
    }
}
