import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct RuleTests {
    /// A schedule: the state machine is started by the rule's role, the function invoked with a
    /// permission limited to the rule.
    @Test func scheduleStartsAStateMachineAndInvokesAFunction() throws {
        #expect(Fixtures.yaml(try EventDrivenScenarios.schedule(), "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              SweepLogs:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: 30
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_158
                      comment: 'Log events are encrypted at rest by CloudWatch Logs with its own key; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              SweepRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: lambda.amazonaws.com
                      Action: sts:AssumeRole
                  Policies:
                  - PolicyName: Permissions
                    PolicyDocument:
                      Version: '2012-10-17'
                      Statement:
                      - Effect: Allow
                        Action:
                        - logs:CreateLogStream
                        - logs:PutLogEvents
                        Resource: !GetAtt SweepLogs.Arn
              Sweep:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: |
                      def handler(e, c): pass
                  Handler: index.handler
                  LoggingConfig:
                    LogGroup: !Ref SweepLogs
                  MemorySize: 256
                  ReservedConcurrentExecutions: 1
                  Role: !GetAtt SweepRole.Arn
                  Runtime: python3.13
                  Timeout: 10
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: Test/Nightly invokes the function asynchronously, and an event whose invocation still fails after Lambda''s retries is dropped. Pass onFailure: or deadLetterQueue: to keep such events.'
              CleanupRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: states.amazonaws.com
                      Action: sts:AssumeRole
                  Policies:
                  - PolicyName: Permissions
                    PolicyDocument:
                      Version: '2012-10-17'
                      Statement:
                      - Effect: Allow
                        Action:
                        - logs:CreateLogDelivery
                        - logs:DeleteLogDelivery
                        - logs:DescribeLogGroups
                        - logs:DescribeResourcePolicies
                        - logs:GetLogDelivery
                        - logs:ListLogDeliveries
                        - logs:PutResourcePolicy
                        - logs:UpdateLogDelivery
                        Resource: '*'
                      - Effect: Allow
                        Action:
                        - xray:GetSamplingRules
                        - xray:GetSamplingTargets
                        - xray:PutTelemetryRecords
                        - xray:PutTraceSegments
                        Resource: '*'
              CleanupLogs:
                Type: AWS::Logs::LogGroup
                Properties:
                  LogGroupName: /aws/vendedlogs/states/dev-Test-Cleanup
                  RetentionInDays: 30
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_158
                      comment: 'Log events are encrypted at rest by CloudWatch Logs with its own key; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              Cleanup:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  DefinitionString: '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
                  LoggingConfiguration:
                    Destinations:
                    - CloudWatchLogsLogGroup:
                        LogGroupArn: !GetAtt CleanupLogs.Arn
                    IncludeExecutionData: false
                    Level: ERROR
                  RoleArn: !GetAtt CleanupRole.Arn
                  StateMachineType: STANDARD
                  TracingConfiguration:
                    Enabled: true
              Nightly:
                Type: AWS::Events::Rule
                Properties:
                  Description: Nightly cleanup
                  ScheduleExpression: cron(0 3 * * ? *)
                  State: ENABLED
                  Targets:
                  - Arn: !Ref Cleanup
                    Id: Cleanup
                    Input: '{"mode": "nightly"}'
                    RoleArn: !GetAtt NightlyRole.Arn
                  - Arn: !GetAtt Sweep.Arn
                    Id: Sweep
              NightlyRole:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action: sts:AssumeRole
                  Policies:
                  - PolicyName: Permissions
                    PolicyDocument:
                      Version: '2012-10-17'
                      Statement:
                      - Effect: Allow
                        Action: states:StartExecution
                        Resource: !Ref Cleanup
              NightlySweepPermission:
                Type: AWS::Lambda::Permission
                Properties:
                  Action: lambda:InvokeFunction
                  FunctionName: !GetAtt Sweep.Arn
                  Principal: events.amazonaws.com
                  SourceArn: !GetAtt Nightly.Arn

            """)
    }

    /// Patterns: a queue policy statement for each rule (its ARN in aws:SourceArn), EventBridge
    /// in the queue's and the topic's key policies, a topic policy that keeps CloudWatch alarms publishing.
    @Test func patternsSendToAQueueAndATopicWithTheirPolicies() throws {
        #expect(Fixtures.yaml(try EventDrivenScenarios.patterns(), "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              WorkKey:
                Type: AWS::KMS::Key
                Properties:
                  EnableKeyRotation: true
                  KeyPolicy:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
                      Action: kms:*
                      Resource: '*'
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action:
                      - kms:Decrypt
                      - kms:GenerateDataKey*
                      Resource: '*'
                      Condition:
                        StringEquals:
                          aws:SourceAccount: !Ref AWS::AccountId
                  PendingWindowInDays: 30
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              WorkKeyAlias:
                Type: AWS::KMS::Alias
                Properties:
                  AliasName: alias/dev-work
                  TargetKeyId: !Ref WorkKey
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  KmsMasterKeyId: !GetAtt WorkKey.Arn
                  MessageRetentionPeriod: 345600
                  VisibilityTimeout: 30
              WorkPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action: sqs:SendMessage
                      Resource: !GetAtt Work.Arn
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !GetAtt Created.Arn
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action: sqs:SendMessage
                      Resource: !GetAtt Work.Arn
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !GetAtt Deleted.Arn
                  Queues:
                  - !Ref Work
              AlertsKey:
                Type: AWS::KMS::Key
                Properties:
                  Description: Encrypts topic Test/Alerts
                  EnableKeyRotation: true
                  KeyPolicy:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
                      Action: kms:*
                      Resource: '*'
                    - Effect: Allow
                      Principal:
                        Service: cloudwatch.amazonaws.com
                      Action:
                      - kms:Decrypt
                      - kms:GenerateDataKey*
                      Resource: '*'
                      Condition:
                        StringEquals:
                          aws:SourceAccount: !Ref AWS::AccountId
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action:
                      - kms:Decrypt
                      - kms:GenerateDataKey*
                      Resource: '*'
                      Condition:
                        StringEquals:
                          aws:SourceAccount: !Ref AWS::AccountId
                  PendingWindowInDays: 30
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              AlertsKeyAlias:
                Type: AWS::KMS::Alias
                Properties:
                  AliasName: alias/dev-Test-Alerts
                  TargetKeyId: !Ref AlertsKey
              Alerts:
                Type: AWS::SNS::Topic
                Properties:
                  KmsMasterKeyId: !Ref AlertsKey
              AlertsEventsPolicy:
                Type: AWS::SNS::TopicPolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action: sns:Publish
                      Resource: !Ref Alerts
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !GetAtt Created.Arn
                    - Effect: Allow
                      Principal:
                        Service: cloudwatch.amazonaws.com
                      Action: sns:Publish
                      Resource: !Ref Alerts
                      Condition:
                        StringEquals:
                          aws:SourceAccount: !Ref AWS::AccountId
                  Topics:
                  - !Ref Alerts
              Created:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern:
                    source:
                    - aws.s3
                    detail-type:
                    - Object Created
                  State: ENABLED
                  Targets:
                  - Arn: !GetAtt Work.Arn
                    Id: Work
                  - Arn: !Ref Alerts
                    Id: Alerts
              Deleted:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern:
                    source:
                    - aws.s3
                    detail-type:
                    - Object Deleted
                  State: DISABLED
                  Targets:
                  - Arn: !GetAtt Work.Arn
                    Id: Work

            """)
    }
}

@Suite struct RuleTargetDeliveryTests {
    /// A target's retry policy and dead-letter queue; the dead-letter queue's policy lets the rule send.
    @Test func deadLetterQueueAndRetryPolicyOfATarget() throws {
        let app = try EventDrivenScenarios.delivery()
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
                  Targets:
                  - Arn: !GetAtt Fn.Arn
                    DeadLetterConfig:
                      Arn: !GetAtt Undelivered.Arn
                    Id: Fn
                    RetryPolicy:
                      MaximumEventAgeInSeconds: 3600
                      MaximumRetryAttempts: 3

            """), "\(yaml)")
        #expect(yaml.contains("""
              UndeliveredPolicy:
                Type: AWS::SQS::QueuePolicy
                Properties:
                  PolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Service: events.amazonaws.com
                      Action: sqs:SendMessage
                      Resource: !GetAtt Undelivered.Arn
                      Condition:
                        ArnEquals:
                          aws:SourceArn: !GetAtt Nightly.Arn
                  Queues:
                  - !Ref Undelivered

            """), "\(yaml)")
    }

    @Test func retrySettingsOutOfRange() {
        let text = DiagnosticError(Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"))
            let undelivered = Queue(in: stack, "Undelivered")
            Rule(in: stack, "Nightly", schedule: "rate(1 day)")
                .addTarget(.function(function), deadLetterQueue: undelivered, maximumRetryAttempts: 186, maximumEventAge: 30, line: 60)
        }).description
        #expect(text == """
            ConstructsTests/RuleTests.swift:60: error: dev/Test/Nightly: maximum event age 30 s for dev/Test/Fn is outside 60...86400
              hint: leave it out for EventBridge's 24 hours
            ConstructsTests/RuleTests.swift:60: error: dev/Test/Nightly: maximum retry attempts 186 for dev/Test/Fn is outside 0...185
              hint: leave it out for EventBridge's 185 retries within the event's maximum age
            """)
    }
}
