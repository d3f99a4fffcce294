import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport
import Testing

@Suite struct FunctionTests {
    @Test func inlineFunctionWithLogsRoleAndTracing() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "t")
            Function(in: stack, "Hello", runtime: .python312, handler: "index.handler", code: .inline("def handler(e, c):\n    return 'hi'\n"),
                     memorySize: 128, timeout: 3, environment: ["GREETING": "hi"], reservedConcurrency: 2, logRetentionDays: 7)
        }
        #expect(Fixtures.yaml(app, "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: t
            Resources:
              HelloLogs:
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
              HelloRole:
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
                        Resource: !GetAtt HelloLogs.Arn
                      - Effect: Allow
                        Action:
                        - xray:PutTraceSegments
                        - xray:PutTelemetryRecords
                        Resource: '*'
              Hello:
                Type: AWS::Lambda::Function
                Properties:
                  Architectures:
                  - arm64
                  Code:
                    ZipFile: |
                      def handler(e, c):
                          return 'hi'
                  Environment:
                    Variables:
                      GREETING: hi
                  Handler: index.handler
                  LoggingConfig:
                    LogGroup: !Ref HelloLogs
                  MemorySize: 128
                  ReservedConcurrentExecutions: 2
                  Role: !GetAtt HelloRole.Arn
                  Runtime: python3.12
                  Timeout: 3
                  TracingConfig:
                    Mode: Active
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_116
                      comment: 'No dead-letter queue: Lambda uses one only for asynchronous invocations, and API routes and queue event sources invoke synchronously (failures return to the caller, or stay in the source queue and move to its dead-letter queue). Pass deadLetterQueue: for asynchronous callers.'
                    - id: CKV_AWS_173
                      comment: 'Lambda encrypts environment variables at rest with its AWS managed key, and secrets belong in Secrets Manager rather than in variables; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'

            """)
    }

    @Test func folderCodeIsAnAssetInTheAssetBucket() throws {
        let directory = try TemporaryDirectory()
        try directory.write("fn/app.py", "def handler(e, c): pass\n")
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url)
        let function = Function(in: Stack(in: app, "Test"), "Fn", handler: "app.handler", code: .folder("fn"), tracing: false)
        let synthesized = try Synthesizer.synthesize(app)
        let key = try #require(function.asset?.key)
        #expect(Fixtures.yaml(synthesized, "dev-Test").contains("""
                  Code:
                    S3Bucket: !Sub stratus-assets-${AWS::AccountId}-${AWS::Region}
                    S3Key: \(key)
            """))
        #expect(synthesized.stacks[0].assets.map(\.source) == ["fn"])
        #expect(!Fixtures.yaml(synthesized, "dev-Test").contains("xray"))
    }

    @Test func missingAndEmptyCodeFoldersAreErrors() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("empty/__pycache__"), withIntermediateDirectories: true)
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url)
        let stack = Stack(in: app, "Test")
        Function(in: stack, "Missing", handler: "app.handler", code: .folder("nowhere"), line: 10)
        Function(in: stack, "Empty", handler: "app.handler", code: .folder("empty"), line: 11)
        #expect(throws: DiagnosticError.self) { try Synthesizer.synthesize(app) }
        do { _ = try Synthesizer.synthesize(app) } catch let error as DiagnosticError {
            #expect(error.description == """
                ConstructsTests/FunctionTests.swift:10: error: dev/Test/Missing: code folder 'nowhere' does not exist
                  hint: give a folder relative to the repository root, e.g. Stacks/Functions/quiz/games
                ConstructsTests/FunctionTests.swift:11: error: dev/Test/Empty: code folder 'empty' has no files
                  hint: put the function's code in it (hidden files and __pycache__ are left out)
                """)
        }
    }

    @Test func invalidSettingsAreErrors() {
        let diagnostics = Fixtures.diagnostics { app in
            Function(in: Stack(in: app, "Test"), "Fn", handler: "", code: .inline("x"), memorySize: 64, timeout: 901,
                     environment: ["1BAD": "x", "AWS_REGION": "x"], logRetentionDays: 42)
        }
        #expect(diagnostics.map(\.message).sorted() == [
            "dev/Test/Fn/Logs: log retention of 42 days is not one CloudWatch Logs offers",
            "dev/Test/Fn: environment variable 'AWS_REGION' is set by Lambda itself",
            "dev/Test/Fn: environment variable name '1BAD' must start with a letter and contain only letters, digits and '_'",
            "dev/Test/Fn: handler is empty",
            "dev/Test/Fn: memory size 64 MB is outside 128...10240",
            "dev/Test/Fn: timeout 901 s is outside 1...900",
        ])
    }
}
