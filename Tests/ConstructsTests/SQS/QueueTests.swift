import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct QueueTests {
    @Test func queueWithDeadLettersAndAConsumer() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let queue = Queue(in: stack, "Work", visibilityTimeout: 60)
            let worker = Function(in: stack, "Worker", handler: "a.b", code: .inline("x"), timeout: 30, tracing: false)
            queue.addConsumer(worker, batchSize: 5)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              WorkDeadLetters:
                Type: AWS::SQS::Queue
                Properties:
                  KmsMasterKeyId: alias/aws/sqs
                  MessageRetentionPeriod: 1209600
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  KmsMasterKeyId: alias/aws/sqs
                  MessageRetentionPeriod: 345600
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt WorkDeadLetters.Arn
                    maxReceiveCount: 3
                  VisibilityTimeout: 60
            """))
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action:
                        - sqs:ChangeMessageVisibility
                        - sqs:DeleteMessage
                        - sqs:GetQueueAttributes
                        - sqs:GetQueueUrl
                        - sqs:ReceiveMessage
                        Resource: !GetAtt Work.Arn
            """))
        #expect(yaml.hasSuffix("""
              WorkerWorkSource:
                Type: AWS::Lambda::EventSourceMapping
                Properties:
                  EventSourceArn: !GetAtt Work.Arn
                  FunctionName: !GetAtt Worker.Arn
                  BatchSize: 5
                  FunctionResponseTypes:
                  - ReportBatchItemFailures
                  Enabled: true

            """))
    }

    @Test func visibilityTimeoutShorterThanTheConsumerIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let queue = Queue(in: stack, "Work")
            queue.addConsumer(Function(in: stack, "Worker", handler: "a.b", code: .inline("x"), timeout: 60))
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Work: visibility timeout 30 s is shorter than the timeout of consumer dev/Test/Worker (60 s)"])
    }

    @Test func sendGrant() throws {
        var grant: Grant?
        _ = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            grant = Queue(in: stack, "Work", maxReceiveCount: nil).grantSend(to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")))
        }
        #expect(grant?.statement.actions == ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"])
    }

    @Test func aDeadLetterAlarmNeedsADeadLetterQueue() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            Queue(in: stack, "Work", maxReceiveCount: nil).alarmOnDeadLetters(topic: Topic(in: stack, "Alerts"), line: 2100)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/QueueTests.swift:2100: error: dev/Test/Work: alarmOnDeadLetters needs a dead-letter queue, and this queue was made with maxReceiveCount: nil
              hint: give the queue a maxReceiveCount (3 by default) so failed messages move to a dead-letter queue
            """])
    }

    @Test func alarmsOnTheOldestMessageAndTheDeadLetters() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let work = Queue(in: stack, "Work", visibilityTimeout: 60)
            let alerts = Topic(in: stack, "Alerts")
            work.alarmOnAgeOfOldestMessage(topic: alerts)
            work.alarmOnDeadLetters(topic: alerts)
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              WorkAgeOfOldestMessageAlarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmDescription: 'Photos/Work: a message has waited more than 600.0 s'
                  Namespace: AWS/SQS
                  MetricName: ApproximateAgeOfOldestMessage
                  Dimensions:
                  - Name: QueueName
                    Value: !GetAtt Work.QueueName
                  Statistic: Maximum
                  Period: 300
                  EvaluationPeriods: 1
                  Threshold: 600.0
                  ComparisonOperator: GreaterThanThreshold
                  TreatMissingData: notBreaching
                  AlarmActions:
                  - !Ref Alerts
                  OKActions:
                  - !Ref Alerts
            """))
        #expect(yaml.contains("""
              WorkDeadLettersAlarm:
                Type: AWS::CloudWatch::Alarm
                Properties:
                  AlarmDescription: 'Photos/Work: messages in the dead-letter queue'
                  Namespace: AWS/SQS
                  MetricName: ApproximateNumberOfMessagesVisible
                  Dimensions:
                  - Name: QueueName
                    Value: !GetAtt WorkDeadLetters.QueueName
                  Statistic: Maximum
                  Period: 300
                  EvaluationPeriods: 1
                  Threshold: 0.0
                  ComparisonOperator: GreaterThanThreshold
                  TreatMissingData: notBreaching
                  AlarmActions:
                  - !Ref Alerts
                  OKActions:
                  - !Ref Alerts
            """))
    }
}
