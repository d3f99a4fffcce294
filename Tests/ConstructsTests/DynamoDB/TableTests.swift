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
            table.grantRead(to: function)
        }
        #expect(diagnostics.map(\.description).contains("""
            ConstructsTests/TableTests.swift:3000: error: dev/Test/Fn: grantRead on dev/Shared/Registry crosses environments: the resource is in shared stack shared-Shared (network (900000000002)), the grantee in dev-Test (dev (800000000001))
              hint: grant only within one environment and account; give the other environment its own resource
            """))
    }

    @Test func conflictingKeyTypesAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Table(in: Stack(in: app, "Test"), "T", partitionKey: .string("Id"), indexes: [GlobalSecondaryIndex(name: "G", partitionKey: .number("Id"))])
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/T: key attribute 'Id' is used as both string and number"])
    }
}
