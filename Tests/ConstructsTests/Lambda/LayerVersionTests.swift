import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct LayerVersionTests {
    /// The layer's folder is an asset of the stack like the function's; the function lists the
    /// layer; failed asynchronous invocations go to a queue the role may send to.
    @Test func layerIsPackagedLikeFunctionCodeAndFailuresGoToAQueue() throws {
        let repository = try EventDrivenScenarios.repository()
        let (app, layer, function) = try EventDrivenScenarios.layer(in: repository)
        let layerKey = try #require(layer.asset?.key)
        let functionKey = try #require(function.asset?.key)
        #expect(Set(app.stacks[0].assets.map(\.source)) == ["layers/shared", "fn"])
        #expect(Fixtures.yaml(app, "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              Shared:
                Type: AWS::Lambda::LayerVersion
                Properties:
                  CompatibleArchitectures:
                  - arm64
                  CompatibleRuntimes:
                  - python3.13
                  - python3.12
                  Content:
                    S3Bucket: !Sub stratus-assets-${AWS::AccountId}-${AWS::Region}
                    S3Key: \(layerKey)
                  Description: Shared helpers
                  LicenseInfo: MIT
              Failures:
                Type: AWS::SQS::Queue
                Properties:
                  KmsMasterKeyId: alias/aws/sqs
                  MessageRetentionPeriod: 345600
                  VisibilityTimeout: 30
              ResizeLogs:
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
              ResizeRole:
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
                        Resource: !GetAtt ResizeLogs.Arn
                      - Effect: Allow
                        Action:
                        - sqs:GetQueueAttributes
                        - sqs:GetQueueUrl
                        - sqs:SendMessage
                        Resource: !GetAtt Failures.Arn
              Resize:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    S3Bucket: !Sub stratus-assets-${AWS::AccountId}-${AWS::Region}
                    S3Key: \(functionKey)
                  Handler: app.handler
                  Layers:
                  - !Ref Shared
                  LoggingConfig:
                    LogGroup: !Ref ResizeLogs
                  MemorySize: 256
                  ReservedConcurrentExecutions: 5
                  Role: !GetAtt ResizeRole.Arn
                  Runtime: python3.13
                  Timeout: 10
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: failed asynchronous invocations go to the on-failure destination Test/Failures, which receives the error and the response as well as the event; checkov looks only at DeadLetterConfig.'
              ResizeAsyncConfig:
                Type: AWS::Lambda::EventInvokeConfig
                Properties:
                  DestinationConfig:
                    OnFailure:
                      Destination: !GetAtt Failures.Arn
                  FunctionName: !Ref Resize
                  MaximumEventAgeInSeconds: 3600
                  MaximumRetryAttempts: 1
                  Qualifier: $LATEST

            """)
    }

    /// A topic destination needs publish and its key; a function destination invoke. A given
    /// environment key replaces Lambda's managed key (no justification needed).
    @Test func topicAndFunctionDestinationsAndAnEnvironmentKey() throws {
        #expect(Fixtures.yaml(try EventDrivenScenarios.destinations(), "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              Settings:
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
                  PendingWindowInDays: 30
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              SettingsAlias:
                Type: AWS::KMS::Alias
                Properties:
                  AliasName: alias/dev-settings
                  TargetKeyId: !Ref Settings
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
              OnErrorLogs:
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
              OnErrorRole:
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
                        Resource: !GetAtt OnErrorLogs.Arn
              OnError:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: x
                  Handler: index.handler
                  LoggingConfig:
                    LogGroup: !Ref OnErrorLogs
                  MemorySize: 256
                  Role: !GetAtt OnErrorRole.Arn
                  Runtime: python3.13
                  Timeout: 10
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_115
                      comment: 'No reserved concurrency: the function draws on the account''s unreserved pool, and reserving capacity would take it from every other function of the account. Pass reservedConcurrency: to cap it.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: Lambda uses one only for asynchronous invocations, and API routes and queue event sources invoke synchronously (failures return to the caller, or stay in the source queue and move to its dead-letter queue). Pass deadLetterQueue: for asynchronous callers.'
              PublisherLogs:
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
              PublisherRole:
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
                        Resource: !GetAtt PublisherLogs.Arn
                      - Effect: Allow
                        Action: kms:Decrypt
                        Resource: !GetAtt Settings.Arn
                      - Effect: Allow
                        Action:
                        - kms:Decrypt
                        - kms:GenerateDataKey*
                        Resource: !GetAtt AlertsKey.Arn
                      - Effect: Allow
                        Action: sns:Publish
                        Resource: !Ref Alerts
              Publisher:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: x
                  Environment:
                    Variables:
                      MODE: x
                  Handler: index.handler
                  KmsKeyArn: !GetAtt Settings.Arn
                  LoggingConfig:
                    LogGroup: !Ref PublisherLogs
                  MemorySize: 256
                  Role: !GetAtt PublisherRole.Arn
                  Runtime: python3.13
                  Timeout: 10
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_115
                      comment: 'No reserved concurrency: the function draws on the account''s unreserved pool, and reserving capacity would take it from every other function of the account. Pass reservedConcurrency: to cap it.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: failed asynchronous invocations go to the on-failure destination Test/Alerts, which receives the error and the response as well as the event; checkov looks only at DeadLetterConfig.'
              PublisherAsyncConfig:
                Type: AWS::Lambda::EventInvokeConfig
                Properties:
                  DestinationConfig:
                    OnFailure:
                      Destination: !Ref Alerts
                  FunctionName: !Ref Publisher
                  Qualifier: $LATEST
              ChainedLogs:
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
              ChainedRole:
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
                        Resource: !GetAtt ChainedLogs.Arn
                      - Effect: Allow
                        Action: lambda:InvokeFunction
                        Resource: !GetAtt OnError.Arn
              Chained:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: x
                  Handler: index.handler
                  LoggingConfig:
                    LogGroup: !Ref ChainedLogs
                  MemorySize: 256
                  Role: !GetAtt ChainedRole.Arn
                  Runtime: python3.13
                  Timeout: 10
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_115
                      comment: 'No reserved concurrency: the function draws on the account''s unreserved pool, and reserving capacity would take it from every other function of the account. Pass reservedConcurrency: to cap it.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: failed asynchronous invocations go to the on-failure destination Test/OnError, which receives the error and the response as well as the event; checkov looks only at DeadLetterConfig.'
              ChainedAsyncConfig:
                Type: AWS::Lambda::EventInvokeConfig
                Properties:
                  DestinationConfig:
                    OnFailure:
                      Destination: !GetAtt OnError.Arn
                  FunctionName: !Ref Chained
                  Qualifier: $LATEST

            """)
    }
}
