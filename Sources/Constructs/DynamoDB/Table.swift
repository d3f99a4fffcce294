import AWSDynamoDB
import CloudFormation
import L1Core
import Synthesis

/// A DynamoDB key attribute: its name and type.
public struct Key: Equatable, Sendable {
    public enum AttributeType: String, Sendable { case string = "S", number = "N", binary = "B" }

    public let name: String
    public let type: AttributeType

    public static func string(_ name: String) -> Key { Key(name: name, type: .string) }
    public static func number(_ name: String) -> Key { Key(name: name, type: .number) }
    public static func binary(_ name: String) -> Key { Key(name: name, type: .binary) }
}

/// A global secondary index of a table.
public struct GlobalSecondaryIndex: Sendable {
    public enum Projection: Sendable, Equatable {
        case all
        case keysOnly
        case include([String])
    }

    public let name: String
    public let partitionKey: Key
    public let sortKey: Key?
    public let projection: Projection

    /// - Parameter projection: Which attributes the index copies: all of them by default.
    public init(name: String, partitionKey: Key, sortKey: Key? = nil, projection: Projection = .all) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.projection = projection
    }
}

/// A DynamoDB table.
///
/// Emits `AWS::DynamoDB::Table`. Stateful: retained on delete and on replacement unless
/// `removalPolicy: .destroy`. Secure and safe by default: on-demand billing, encryption with the
/// AWS managed KMS key (`encrypted: false` leaves the AWS owned key), in production
/// (`tier: production`) with the stack's customer managed key (`customerManagedKey:`), and
/// point-in-time recovery on (`pointInTimeRecovery: false`).
///
///     let games = Table(in: quiz, "Games", partitionKey: .string("GameId"), timeToLive: "ExpiresAt")
///     games.grantReadWrite(to: function)
public final class Table: Construct {
    public let partitionKey: Key
    public let sortKey: Key?
    public let indexes: [GlobalSecondaryIndex]
    public let timeToLive: String?
    /// The `AWS::DynamoDB::Table` this construct creates, typed: change any property of it here.
    public private(set) var resource: DynamoDB.Table!
    /// The customer managed key the table is encrypted with, if any; grants include its use.
    public private(set) var encryptionKey: KmsKey?

    /// - Parameters:
    ///   - sortKey: None by default (a simple primary key).
    ///   - timeToLive: The attribute holding each item's expiry (epoch seconds); no expiry by default.
    ///   - indexes: Global secondary indexes; none by default.
    ///   - deletionProtection: Refuse `DeleteTable` calls; off by default (the retain policy already
    ///     keeps the table when its stack lets go of it).
    ///   - customerManagedKey: Encrypt with the stack's customer managed KMS key; on in production
    ///     environments, the AWS managed key elsewhere (explained in the template for checkov's CKV_AWS_119).
    @discardableResult
    public init(
        in scope: Construct, _ id: String, partitionKey: Key, sortKey: Key? = nil, timeToLive: String? = nil,
        indexes: [GlobalSecondaryIndex] = [], encrypted: Bool = true, pointInTimeRecovery: Bool = true,
        deletionProtection: Bool = false, removalPolicy: RemovalPolicy = .retain, customerManagedKey: Bool? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.indexes = indexes
        self.timeToLive = timeToLive
        super.init(in: scope, id, file: file, line: line)

        let table = DynamoDB.Table(
            in: self, "Resource", keySchema: Self.keySchema(partitionKey, sortKey).cfnValue,
            attributeDefinitions: List(attributes.map { key in
                DynamoDB.Table.AttributeDefinition(attributeName: Typed(key.name), attributeType: Typed(rawString: key.type.rawValue))
            }),
            billingMode: .payPerRequest,
            pointInTimeRecoverySpecification: .init(pointInTimeRecoveryEnabled: Typed(pointInTimeRecovery)),
            sseSpecification: .init(sseEnabled: Typed(encrypted)),
            file: file, line: line)
        if !indexes.isEmpty {
            table.globalSecondaryIndexes = List(indexes.map { index in
                var nonKeyAttributes: List<Typed<String>>?
                if case .include(let attributes) = index.projection {
                    nonKeyAttributes = List(attributes.map { Typed($0) })
                }
                let projection = DynamoDB.Table.Projection(
                    nonKeyAttributes: nonKeyAttributes, projectionType: Typed(rawString: Self.projectionType(index.projection)))
                return DynamoDB.Table.GlobalSecondaryIndex(
                    indexName: Typed(index.name), keySchema: Self.keySchema(index.partitionKey, index.sortKey), projection: projection)
            })
        }
        if let timeToLive {
            table.timeToLiveSpecification = .init(enabled: true, attributeName: Typed(timeToLive))
        }
        let key = encrypted && KmsKey.wanted(customerManagedKey, by: self) ? KmsKey.stackKey(for: self, file: file, line: line) : nil
        encryptionKey = key
        if let key { table.sseSpecification = .init(sseEnabled: true, kmsMasterKeyId: .value(key.arn), sseType: .kms) }
        if deletionProtection { table.deletionProtectionEnabled = true }
        resource = table
        removalPolicy.apply(to: resource)
        if key != nil {
            resource.enabled("CKV_AWS_119", because: KmsKey.onReason)
        } else if encrypted {
            resource.justify("CKV_AWS_119", because: KmsKey.offReason(
                "Items are encrypted at rest with the AWS managed key aws/dynamodb", setting: "customerManagedKey"))
        }
    }

    public var name: Value { resource.ref("Name") }
    public var arn: Value { resource.attribute("Arn") }

    /// Key attributes of the table and its indexes, each once, in order of first use.
    var attributes: [Key] {
        var keys: [Key] = []
        for key in [partitionKey, sortKey].compactMap({ $0 }) + indexes.flatMap({ [$0.partitionKey, $0.sortKey].compactMap { $0 } })
        where !keys.contains(where: { $0.name == key.name }) {
            keys.append(key)
        }
        return keys
    }

    /// Read access to items and indexes: GetItem, Query, Scan and their batch forms.
    @discardableResult
    public func grantRead(to grantee: any Grantable) -> Grant {
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: DynamoDBPermissions.keyRead, resources: [encryptionKey.arn]))
        }
        return Grants.add(PolicyStatement(actions: DynamoDBPermissions.read, resources: resourceArns), on: self, to: grantee, verb: "grantRead")
    }

    /// Read and write access to items and indexes (no table administration).
    @discardableResult
    public func grantReadWrite(to grantee: any Grantable) -> Grant {
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: DynamoDBPermissions.keyReadWrite, resources: [encryptionKey.arn]))
        }
        return Grants.add(
            PolicyStatement(actions: DynamoDBPermissions.read + DynamoDBPermissions.write, resources: resourceArns),
            on: self, to: grantee, verb: "grantReadWrite")
    }

    /// The table, and its indexes when it has any.
    private var resourceArns: [Value] {
        indexes.isEmpty ? [arn] : [arn, .join("", [arn, "/index/*"])]
    }

    private static func keySchema(_ partition: Key, _ sort: Key?) -> List<DynamoDB.Table.KeySchema> {
        var schema = [DynamoDB.Table.KeySchema(attributeName: Typed(partition.name), keyType: "HASH")]
        if let sort { schema.append(.init(attributeName: Typed(sort.name), keyType: "RANGE")) }
        return List(schema)
    }

    private static func projectionType(_ projection: GlobalSecondaryIndex.Projection) -> String {
        switch projection {
        case .all: "ALL"
        case .keysOnly: "KEYS_ONLY"
        case .include: "INCLUDE"
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let all = [partitionKey, sortKey].compactMap { $0 } + indexes.flatMap { [$0.partitionKey, $0.sortKey].compactMap { $0 } }
        for key in all {
            if let other = all.first(where: { $0.name == key.name && $0.type != key.type }), !problems.contains(where: { $0.message.contains("'\(key.name)'") }) {
                problems.append(.construct(self, "key attribute '\(key.name)' is used as both \(key.type) and \(other.type)", hint: "a DynamoDB attribute has one type in every key it is part of"))
            }
        }
        var names = Set<String>()
        for index in indexes where !names.insert(index.name).inserted {
            problems.append(.construct(self, "index name '\(index.name)' is used twice", hint: "give each index its own name"))
        }
        if indexes.count > 20 {
            problems.append(.construct(self, "\(indexes.count) global secondary indexes; DynamoDB allows 20", hint: "use an overloaded index (GSI1PK/GSI1SK) for several access patterns"))
        }
        if let timeToLive, all.contains(where: { $0.name == timeToLive }) {
            problems.append(.construct(self, "time-to-live attribute '\(timeToLive)' is also a key attribute", hint: "use a separate attribute holding epoch seconds"))
        }
        return problems
    }
}
