import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct StateMachineTests {
    /// Given log group, everything logged with execution data, no tracing (so no X-Ray actions);
    /// logging off makes no log group and no log delivery actions; grantStartExecution.
    @Test func expressMachineWithItsLogGroupAndAMachineWithoutLogs() throws {
        #expect(Fixtures.yaml(try EventDrivenScenarios.machines(), "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              MachineLogs:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: 7
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_158
                      comment: 'Log events are encrypted at rest by CloudWatch Logs with its own key; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              ExpressRole:
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
              Express:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  DefinitionString: '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
                  LoggingConfiguration:
                    Destinations:
                    - CloudWatchLogsLogGroup:
                        LogGroupArn: !GetAtt MachineLogs.Arn
                    IncludeExecutionData: true
                    Level: ALL
                  RoleArn: !GetAtt ExpressRole.Arn
                  StateMachineName: dev-express
                  StateMachineType: EXPRESS
              QuietRole:
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
                        - xray:GetSamplingRules
                        - xray:GetSamplingTargets
                        - xray:PutTelemetryRecords
                        - xray:PutTraceSegments
                        Resource: '*'
              Quiet:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  DefinitionString: '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
                  RoleArn: !GetAtt QuietRole.Arn
                  StateMachineType: STANDARD
                  TracingConfiguration:
                    Enabled: true
              StarterLogs:
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
              StarterRole:
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
                        Resource: !GetAtt StarterLogs.Arn
                      - Effect: Allow
                        Action: states:StartExecution
                        Resource:
                        - !Ref Express
                        - !Ref Quiet
              Starter:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: x
                  Handler: index.handler
                  LoggingConfig:
                    LogGroup: !Ref StarterLogs
                  MemorySize: 256
                  Role: !GetAtt StarterRole.Arn
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

            """)
    }

    /// A definition file goes into the template as it is, with its substitutions; grantInvoke
    /// lets the machine's role call the function (and its versions).
    @Test func definitionFromAFileWithSubstitutions() throws {
        let repository = try EventDrivenScenarios.repository()
        let yaml = Fixtures.yaml(try EventDrivenScenarios.definitionFile(in: repository), "dev-Test")
        #expect(yaml.contains("""
              Cleanup:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  DefinitionString: |
                    {
                      "StartAt": "Sweep",
                      "States": {
                        "Sweep": {"Type": "Task", "Resource": "${SweepArn}", "End": true}
                      }
                    }
                  DefinitionSubstitutions:
                    SweepArn: !GetAtt Sweep.Arn
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

            """), "\(yaml)")
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action: lambda:InvokeFunction
                        Resource:
                        - !GetAtt Sweep.Arn
                        - !Sub ${Sweep.Arn}:*

            """), "\(yaml)")
        #expect(yaml.contains("      LogGroupName: /aws/vendedlogs/states/dev-Test-Cleanup\n"))
    }

    /// In production the machine's own log group uses the stack's customer managed key.
    @Test func productionLogsUseTheStackKey() throws {
        let app = try Fixtures.synthesize(Fixtures.environment("prd", tier: .production)) { app in
            StateMachine(in: Stack(in: app, "Test"), "Cleanup", definition: .string(#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#))
        }
        #expect(Fixtures.yaml(app, "prd-Test").contains("""
              CleanupLogs:
                Type: AWS::Logs::LogGroup
                Properties:
                  KmsKeyId: !GetAtt EncryptionKey.Arn
                  LogGroupName: /aws/vendedlogs/states/prd-Test-Cleanup

            """))
    }
}
