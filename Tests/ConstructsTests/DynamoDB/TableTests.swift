import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct TableTests {
    @Test func singleTableDesignWithIndexAndTimeToLive() throws {
        let app = try Fixtures.synthesize { app in
            Table(in: Stack(in: app, "Test"), "Content", partitionKey: .string("PK"), sortKey: .string("SK"), timeToLive: "ExpiresAt",
                  indexes: [GlobalSecondaryIndex(name: "GSI1", partitionKey: .string("GSI1PK"), sortKey: .string("GSI1SK")),
                            GlobalSecondaryIndex(name: "ByStatus", partitionKey: .string("Status"), projection: .include(["Title"]))])
        }
        #expect(Fixtures.yaml(app, "dev-Test").hasSuffix("""
            Resources:
              Content:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions:
                  - AttributeName: PK
                    AttributeType: S
                  - AttributeName: SK
                    AttributeType: S
                  - AttributeName: GSI1PK
                    AttributeType: S
                  - AttributeName: GSI1SK
                    AttributeType: S
                  - AttributeName: Status
                    AttributeType: S
                  BillingMode: PAY_PER_REQUEST
                  GlobalSecondaryIndexes:
                  - IndexName: GSI1
                    KeySchema:
                    - AttributeName: GSI1PK
                      KeyType: HASH
                    - AttributeName: GSI1SK
                      KeyType: RANGE
                    Projection:
                      ProjectionType: ALL
                  - IndexName: ByStatus
                    KeySchema:
                    - AttributeName: Status
                      KeyType: HASH
                    Projection:
                      NonKeyAttributes:
                      - Title
                      ProjectionType: INCLUDE
                  KeySchema:
                  - AttributeName: PK
                    KeyType: HASH
                  - AttributeName: SK
                    KeyType: RANGE
                  PointInTimeRecoverySpecification:
                    PointInTimeRecoveryEnabled: true
                  SSESpecification:
                    SSEEnabled: true
                  TimeToLiveSpecification:
                    AttributeName: ExpiresAt
                    Enabled: true
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_119
                      comment: 'Items are encrypted at rest with the AWS managed key aws/dynamodb; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain

            """))
    }

    @Test func grantsAreLeastPrivilegeAndCoverIndexes() throws {
        var readGrant: Grant?
        var writeGrant: Grant?
        _ = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let plain = Table(in: stack, "Plain", partitionKey: .string("Id"))
            let indexed = Table(in: stack, "Indexed", partitionKey: .string("Id"), indexes: [GlobalSecondaryIndex(name: "ByX", partitionKey: .string("X"))])
            let function = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            readGrant = plain.grantRead(to: function)
            writeGrant = indexed.grantReadWrite(to: function)
        }
        #expect(readGrant?.statement.actions == ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"])
        #expect(readGrant?.statement.resources.count == 1)
        #expect(writeGrant?.statement.actions.contains("dynamodb:PutItem") == true)
        #expect(writeGrant?.statement.actions.contains("dynamodb:DeleteTable") == false)
        #expect(writeGrant?.statement.resources.count == 2)
        let rendered = TemplateRenderer.yaml(try #require(writeGrant).statement.value.resolvingTokens { _ in .ref("T") })
        #expect(rendered.contains("- !Join ['', [!Ref T, /index/*]]"))
    }

    @Test func grantAcrossEnvironmentsIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let shared = Stack(in: app, "Shared", account: app.organisation.network, shared: true)
            let table = Table(in: shared, "Registry", partitionKey: .string("Id"))
            let function = Function(in: Stack(in: app, "Test"), "Fn", handler: "a.b", code: .inline("x"), line: 3000)
            table.grantRead(to: function, line: 3010)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TableTests.swift:3010: error: dev/Test/Fn: grantRead on dev/Shared/Registry crosses accounts: the resource is in shared stack shared-Shared (network (900000000002)), the grantee in dev-Test (dev (800000000001))
              hint: grant only within one environment and account; give the other environment its own resource
            """])
    }

    @Test func grantToASharedStackOfTheSameAccountCrossesEnvironments() {
        let diagnostics = Fixtures.diagnostics { app in
            let shared = Stack(in: app, "Shared", shared: true)
            let table = Table(in: shared, "Registry", partitionKey: .string("Id"))
            let function = Function(in: Stack(in: app, "Test"), "Fn", handler: "a.b", code: .inline("x"), line: 3000)
            table.grantWrite(to: function, line: 3020)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TableTests.swift:3020: error: dev/Test/Fn: grantWrite on dev/Shared/Registry crosses environments: the resource is in shared stack shared-Shared (dev (800000000001)), the grantee in dev-Test (dev (800000000001))
              hint: grant only within one environment and account; give the other environment its own resource
            """])
    }

    @Test func conflictingKeyTypesAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Table(in: Stack(in: app, "Test"), "T", partitionKey: .string("Id"), indexes: [GlobalSecondaryIndex(name: "G", partitionKey: .number("Id"))])
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/T: key attribute 'Id' is used as both string and number"])
    }

    @Test func aLocalIndexNeedsASortKey() {
        let diagnostics = Fixtures.diagnostics { app in
            Table(in: Stack(in: app, "Test"), "Games", partitionKey: .string("GameId"),
                  localIndexes: [LocalSecondaryIndex(name: "ByCreationTime", sortKey: .number("CreationTime"))], line: 3100)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TableTests.swift:3100: error: dev/Test/Games: local secondary index 'ByCreationTime' needs a table with a sort key, and this table has only a partition key
              hint: give the table a sortKey:, or make the index a GlobalSecondaryIndex
            """])
    }

    @Test func moreThanFiveLocalIndexesIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Table(in: Stack(in: app, "Test"), "Games", partitionKey: .string("PlayerId"), sortKey: .string("GameId"),
                  localIndexes: (1...6).map { LocalSecondaryIndex(name: "L\($0)", sortKey: .number("N\($0)")) }, line: 3200)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TableTests.swift:3200: error: dev/Test/Games: 6 local secondary indexes; DynamoDB allows 5
              hint: use global secondary indexes for the other access patterns
            """])
    }

    @Test func aStreamConsumerNeedsAStream() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let table = Table(in: stack, "Games", partitionKey: .string("GameId"))
            table.addStreamConsumer(Function(in: stack, "Fn", handler: "a.b", code: .inline("x")), line: 3300)
            table.grantStreamRead(to: Function(in: stack, "Reader", handler: "a.b", code: .inline("x")), line: 3301)
        }
        #expect(diagnostics.map(\.description) == [
            """
            ConstructsTests/TableTests.swift:3300: error: dev/Test/Games: addStreamConsumer(dev/Test/Fn) needs a stream, and the table has none
              hint: create the table with stream: .newAndOldImages (or the view the consumer needs)
            """,
            """
            ConstructsTests/TableTests.swift:3301: error: dev/Test/Reader: grantStreamRead on dev/Test/Games needs a stream, and the table has none
              hint: create the table with stream: .newAndOldImages (or the view the consumer needs)
            """,
        ])
    }

    @Test func streamConsumerLimitsAreErrors() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let table = Table(in: stack, "Games", partitionKey: .string("GameId"), stream: .keysOnly)
            table.addStreamConsumer(Function(in: stack, "Fn", handler: "a.b", code: .inline("x")), retryAttempts: -1, line: 3400)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TableTests.swift:3400: error: dev/Test/Games: stream retry attempts -1 is outside 0...10000
              hint: 3 is the default; unlimited retries (-1) would hold up the shard for 24 hours on one bad record
            """])
    }

    @Test func localIndexStreamAndAStreamConsumer() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let work = Queue(in: stack, "Work", visibilityTimeout: 60)
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            let table = Table(in: stack, "Photos", partitionKey: .string("Owner"), sortKey: .string("PhotoId"),
                              localIndexes: [LocalSecondaryIndex(name: "ByTakenAt", sortKey: .number("TakenAt"), projection: .keysOnly)],
                              stream: .newAndOldImages)
            table.addStreamConsumer(thumbnailer, onFailure: work)
            table.grantWrite(to: thumbnailer)
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              Photos:
                Type: AWS::DynamoDB::Table
                Properties:
                  AttributeDefinitions:
                  - AttributeName: Owner
                    AttributeType: S
                  - AttributeName: PhotoId
                    AttributeType: S
                  - AttributeName: TakenAt
                    AttributeType: 'N'
                  BillingMode: PAY_PER_REQUEST
                  KeySchema:
                  - AttributeName: Owner
                    KeyType: HASH
                  - AttributeName: PhotoId
                    KeyType: RANGE
                  LocalSecondaryIndexes:
                  - IndexName: ByTakenAt
                    KeySchema:
                    - AttributeName: Owner
                      KeyType: HASH
                    - AttributeName: TakenAt
                      KeyType: RANGE
                    Projection:
                      ProjectionType: KEYS_ONLY
                  PointInTimeRecoverySpecification:
                    PointInTimeRecoveryEnabled: true
                  SSESpecification:
                    SSEEnabled: true
                  StreamSpecification:
                    StreamViewType: NEW_AND_OLD_IMAGES
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_119
                      comment: 'Items are encrypted at rest with the AWS managed key aws/dynamodb; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """))
        #expect(yaml.contains("""
              ThumbnailerPhotosStream:
                Type: AWS::Lambda::EventSourceMapping
                Properties:
                  BatchSize: 100
                  BisectBatchOnFunctionError: true
                  DestinationConfig:
                    OnFailure:
                      Destination: !GetAtt Work.Arn
                  Enabled: true
                  EventSourceArn: !GetAtt Photos.StreamArn
                  FunctionName: !GetAtt Thumbnailer.Arn
                  FunctionResponseTypes:
                  - ReportBatchItemFailures
                  MaximumRetryAttempts: 3
                  StartingPosition: LATEST
            """))
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action: dynamodb:ListStreams
                        Resource: !Join ['', [!GetAtt Photos.Arn, /stream/*]]
                      - Effect: Allow
                        Action:
                        - dynamodb:DescribeStream
                        - dynamodb:GetRecords
                        - dynamodb:GetShardIterator
                        Resource: !GetAtt Photos.StreamArn
                      - Effect: Allow
                        Action: sqs:SendMessage
                        Resource: !GetAtt Work.Arn
                      - Effect: Allow
                        Action:
                        - dynamodb:DescribeTable
                        - dynamodb:BatchWriteItem
                        - dynamodb:DeleteItem
                        - dynamodb:PutItem
                        - dynamodb:UpdateItem
                        Resource:
                        - !GetAtt Photos.Arn
                        - !Join ['', [!GetAtt Photos.Arn, /index/*]]
            """))
    }
}
