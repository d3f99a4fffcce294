import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

/// Queues AWS services can send to: SSE-SQS (justified for checkov) or a customer managed key,
/// whose KMS actions grants add.
@Suite struct QueueEncryptionTests {
    @Test func customerManagedKeyIsUsedAndGrantedWithTheQueue() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let key = KmsKey(in: stack, "JobsKey", alias: "alias/dev-jobs")
            let jobs = Queue(in: stack, "Jobs", maxReceiveCount: nil, encryptionKey: key)
            let worker = Function(in: stack, "Worker", handler: "index.handler", code: .inline("x"), tracing: false)
            jobs.addConsumer(worker)
            let sender = Function(in: stack, "Sender", handler: "index.handler", code: .inline("x"), tracing: false)
            jobs.grantSend(to: sender)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              Jobs:
                Type: AWS::SQS::Queue
                Properties:
                  KmsMasterKeyId: !GetAtt JobsKey.Arn
                  MessageRetentionPeriod: 345600
                  VisibilityTimeout: 30

            """), "\(yaml)")
        // The consumer may decrypt; the sender may also make data keys.
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action: kms:Decrypt
                        Resource: !GetAtt JobsKey.Arn
                      - Effect: Allow
                        Action:
                        - sqs:ChangeMessageVisibility
            """), "\(yaml)")
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action:
                        - kms:Decrypt
                        - kms:GenerateDataKey
                        Resource: !GetAtt JobsKey.Arn
                      - Effect: Allow
                        Action:
                        - sqs:GetQueueAttributes
                        - sqs:GetQueueUrl
                        - sqs:SendMessage
            """), "\(yaml)")
    }

    @Test func aQueueAServiceSendsToSwitchesToSSESQSAndSaysWhy() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let queue = Queue(in: stack, "Jobs", maxReceiveCount: nil)
            Rule(in: stack, "Created", eventPattern: ["source": ["aws.s3"]]).addTarget(.queue(queue))
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              Jobs:
                Type: AWS::SQS::Queue
                Properties:
                  MessageRetentionPeriod: 345600
                  SqsManagedSseEnabled: true
                  VisibilityTimeout: 30
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_27
                      comment: 'Encrypted with SSE-SQS (keys SQS owns), because events.amazonaws.com sends to this queue and AWS services cannot use the AWS managed key alias/aws/sqs. Pass encryptionKey: a KmsKey usable by events.amazonaws.com to use a customer managed key.'
            """), "\(yaml)")
    }
}
