import CloudFormation
import CloudFormationResources
import Constructs
import Foundation
import Plan
import Synthesis
import TestSupport
import Testing

/// Real changes to a copy of a stack, and how the diff classifies them.
@Suite struct DiffTests {
    struct Variant {
        var tableId = "Orders"
        var partitionKey = "Id"
        var index = false
        var widenSecurityGroup = false
        var trusted: [String] = ["900000000003"]
    }

    private func output(_ variant: Variant) throws -> EnvironmentOutput {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Store")
            Table(in: stack, variant.tableId, partitionKey: .string(variant.partitionKey),
                  indexes: variant.index ? [GlobalSecondaryIndex(name: "ByCustomer", partitionKey: .string("CustomerId"))] : [])
            let vpc = Vpc(in: stack, "Network")
            let database = DatabaseInstance(in: stack, "Db", vpc: vpc)
            database.allowConnections(from: Function(in: stack, "Fn", handler: "a.b", code: .inline("x"), vpc: vpc))
            if variant.widenSecurityGroup {
                database.securityGroup?.addIngress(from: .ipv4("10.0.0.0/8"), port: .tcp(5432), description: "Office network")
            }
            let template = Stack(in: app, "BootstrapTemplate", account: app.organisation.management, shared: true, templateOnly: true)
            let bootstrap = Bootstrap(in: template, "Bootstrap")
            bootstrap.rollOut(in: Stack(in: app, "OrganisationBootstrap", account: app.organisation.management, shared: true), "StackSet",
                              environments: app.environments, trust: ["dev": variant.trusted])
        }
        return EnvironmentOutput(app)
    }

    private func diff(from base: Variant, to changed: Variant) throws -> EnvironmentDiff {
        let old = try output(base)
        return OutputDiff.diff(new: try output(changed), old: Dictionary(uniqueKeysWithValues: old.files.map { ($0.path, $0.contents) }))
    }

    @Test func noChangeIsEmpty() throws {
        let result = try diff(from: Variant(), to: Variant())
        #expect(result.isEmpty)
        #expect(result.stacks.isEmpty)
    }

    @Test func addingAnIndexUpdatesTheTableInPlace() throws {
        var changed = Variant()
        changed.index = true
        let result = try diff(from: Variant(), to: changed)
        let store = try #require(result.stacks.first { $0.stack == "dev-Store" })
        let table = try #require(store.resources.first { $0.logicalId == "Orders" })
        #expect(table.action == .update)
        #expect(!table.possibleDataLoss)
        #expect(table.changes.map(\.path).contains("GlobalSecondaryIndexes"))
        #expect(table.changes.allSatisfy { !$0.replaces })
        #expect(result.destructiveChanges.isEmpty)
    }

    @Test func renamingTheTableConstructDeletesItAndCreatesAnother() throws {
        var changed = Variant()
        changed.tableId = "Purchases"
        let result = try diff(from: Variant(), to: changed)
        let store = try #require(result.stacks.first { $0.stack == "dev-Store" })
        #expect(store.resources.map { "\($0.action.rawValue) \($0.logicalId)" } == ["remove Orders", "add Purchases"])
        let removed = try #require(store.resources.first)
        #expect(removed.possibleDataLoss)
        #expect(removed.renamedTo == "Purchases")
        #expect(result.destructiveChanges.map { "\($0.stack)/\($0.change.logicalId)" } == ["dev-Store/Orders"])
        let text = DiffReport([result], colour: false).text()
        #expect(text.contains("[-] AWS::DynamoDB::Table Orders deletion (stateful: possible data loss) (renamed to Purchases? a new logical id is a new resource)"))
        #expect(text.contains("Possible data loss\n  dev/dev-Store/Orders: AWS::DynamoDB::Table kept but orphaned: the stack no longer manages it (DeletionPolicy Retain)"))
    }

    @Test func changingTheKeySchemaReplacesTheTable() throws {
        var changed = Variant()
        changed.partitionKey = "OrderId"
        let result = try diff(from: Variant(), to: changed)
        let table = try #require(result.stacks.first { $0.stack == "dev-Store" }?.resources.first { $0.logicalId == "Orders" })
        #expect(table.action == .replace)
        #expect(table.possibleDataLoss)
        // Key lists are matched by AttributeName: the old key goes, the new one comes.
        #expect(table.changes.first { $0.path == "KeySchema[OrderId]" }?.replaces == true)
        #expect(table.changes.first { $0.path == "KeySchema[Id]" }?.new == nil)
        #expect(table.changes.first { $0.path == "AttributeDefinitions[OrderId]" }?.replaces == false)
    }

    @Test func wideningASecurityGroupShowsInTheSecuritySection() throws {
        var changed = Variant()
        changed.widenSecurityGroup = true
        let result = try diff(from: Variant(), to: changed)
        let store = try #require(result.stacks.first { $0.stack == "dev-Store" })
        #expect(store.security == [SecurityChange(direction: .added, fact: "ingress !GetAtt DbSecurityGroup.GroupId: tcp 5432-5432 10.0.0.0/8")])
        #expect(store.resources.map { "\($0.action.rawValue) \($0.logicalId)" } == ["add DbSecurityGroupFromCidr25432"])
        #expect(DiffReport([result], colour: false).text().contains("  Security changes\n  [+] ingress !GetAtt DbSecurityGroup.GroupId: tcp 5432-5432 10.0.0.0/8"))
    }

    @Test func addingATrustedAccountShowsInTheSecuritySection() throws {
        var changed = Variant()
        changed.trusted = ["900000000003", "900000000002"]
        let result = try diff(from: Variant(), to: changed)
        let bootstrap = try #require(result.stacks.first { $0.stack == "shared-OrganisationBootstrap" })
        #expect(bootstrap.security == [
            SecurityChange(direction: .added, fact: "stackset StackSet: TrustedAccounts=900000000003,900000000002 for [800000000001]"),
            SecurityChange(direction: .removed, fact: "stackset StackSet: TrustedAccounts=900000000003 for [800000000001]"),
        ])
        #expect(bootstrap.resources.map(\.action) == [.update])
        #expect(result.destructiveChanges.isEmpty)
    }

    @Test func jsonFormatCarriesTheClassification() throws {
        var changed = Variant()
        changed.partitionKey = "OrderId"
        let json = DiffReport([try diff(from: Variant(), to: changed)], colour: false).json()
        #expect(json.contains("\"action\" : \"replace\""))
        #expect(json.contains("\"possibleDataLoss\" : true"))
    }

    @Test func coloursOnlyWhenAsked() throws {
        var changed = Variant()
        changed.tableId = "Purchases"
        let result = try diff(from: Variant(), to: changed)
        #expect(DiffReport([result], colour: true).text().contains("\u{1B}[31m"))
        #expect(!DiffReport([result], colour: false).text().contains("\u{1B}["))
    }

    @Test func registrySchemasKnowCreateOnlyProperties() {
        #expect(ResourceSchemas.changeReplaces(type: "AWS::Route53::HostedZone", path: ["Name"]))
        #expect(!ResourceSchemas.changeReplaces(type: "AWS::Route53::HostedZone", path: ["HostedZoneConfig", "Comment"]))
        #expect(ResourceSchemas.changeReplaces(type: "AWS::RDS::DBInstance", path: ["StorageEncrypted"]))
        #expect(ResourceSchemas.typesWithCreateOnlyProperties > 1000)
        // Conditional create-only properties may replace; documented replacements stay certain.
        #expect(ResourceSchemas.impact(type: "AWS::RDS::DBInstance", path: ["DBSnapshotIdentifier"]) == .mayReplace)
        #expect(ResourceSchemas.impact(type: "AWS::DynamoDB::Table", path: ["KeySchema", "*", "AttributeName"]) == .replace)
        #expect(ResourceSchemas.impact(type: "AWS::RDS::DBInstance", path: ["AllocatedStorage"]) == .none)
        #expect(ResourceSchemas.typesWithConditionalCreateOnlyProperties > 10)
        #expect(ResourceSchemas.physicalNameProperty(of: "AWS::DynamoDB::Table") == "TableName")
        #expect(ResourceSchemas.physicalNameProperty(of: "AWS::SQS::Queue") == "QueueName")
        #expect(ResourceSchemas.physicalNameProperty(of: "AWS::SecretsManager::Secret") == "Name")
        #expect(ResourceSchemas.physicalNameProperty(of: "AWS::EC2::VPC") == nil)
    }

    @Test func generatedSchemaFileIsFresh() throws {
        guard let python = Command.which("python3") else { Issue.record("python3 is needed"); return }
        let result = try Command.run(python, ["Scripts/generate-resource-schemas", "--stdout"], in: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try String(contentsOf: Repository.root.appendingPathComponent("Sources/CloudFormationResources/ResourceSchemas.generated.swift"), encoding: .utf8)
        #expect(result.stdout == committed, "run Scripts/generate-resource-schemas and commit the file")
    }
}
