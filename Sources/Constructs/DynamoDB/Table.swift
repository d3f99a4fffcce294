import CloudFormation
import L1ConstructTypes
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

/// A local secondary index of a table: the table's partition key with another sort key. It can
/// only be created with the table (adding one later replaces the table), and the table must have
/// a sort key.
public struct LocalSecondaryIndex: Sendable {
    public let name: String
    public let sortKey: Key
    public let projection: GlobalSecondaryIndex.Projection

    /// - Parameter projection: Which attributes the index copies: all of them by default.
    public init(name: String, sortKey: Key, projection: GlobalSecondaryIndex.Projection = .all) {
        self.name = name
        self.sortKey = sortKey
        self.projection = projection
    }
}

/// What a table's stream records of each changed item.
public enum StreamView: String, Sendable {
    case keysOnly = "KEYS_ONLY"
    case newImage = "NEW_IMAGE"
    case oldImage = "OLD_IMAGE"
    case newAndOldImages = "NEW_AND_OLD_IMAGES"
}

/// Where a stream consumer starts reading when its mapping is created.
public enum StartingPosition: String, Sendable {
    /// Only changes made after the mapping exists.
    case latest = "LATEST"
    /// The oldest record the stream still holds (24 hours).
    case trimHorizon = "TRIM_HORIZON"
}

/// A DynamoDB table.
///
/// Emits `AWS::DynamoDB::Table`. Stateful: retained on delete and on replacement unless
/// `removalPolicy: .destroy`. Secure and safe by default: on-demand billing, encryption with the
/// AWS managed KMS key (`encrypted: false` leaves the AWS owned key), in production
/// (`tier: production`) with the stack's customer managed key (`customerManagedKey:`), and
/// point-in-time recovery on (`pointInTimeRecovery: false`).
///
/// A stream (`stream: .newAndOldImages`) records every change for 24 hours;
/// `addStreamConsumer(_:)` has Lambda read it.
///
///     let games = Table(in: quiz, "Games", partitionKey: .string("GameId"), timeToLive: "ExpiresAt")
///     games.grantReadWrite(to: function)
public final class Table: Construct {
    public let partitionKey: Key
    public let sortKey: Key?
    public let indexes: [GlobalSecondaryIndex]
    public let localIndexes: [LocalSecondaryIndex]
    public let stream: StreamView?
    public let timeToLive: String?
    /// The `AWS::DynamoDB::Table` this construct creates, typed: change any property of it here.
    public private(set) var resource: DynamoDB.Table!
    /// The customer managed key the table is encrypted with, if any; grants include its use.
    public private(set) var encryptionKey: KmsKey?

    /// - Parameters:
    ///   - sortKey: None by default (a simple primary key).
    ///   - timeToLive: The attribute holding each item's expiry (epoch seconds); no expiry by default.
    ///   - indexes: Global secondary indexes; none by default.
    ///   - localIndexes: Local secondary indexes (up to 5, on a table with a sort key); none by
    ///     default. They can only be created with the table.
    ///   - stream: Record every change in a DynamoDB stream, with this view of the item; no
    ///     stream by default.
    ///   - deletionProtection: Refuse `DeleteTable` calls; off by default (the retain policy already
    ///     keeps the table when its stack lets go of it).
    ///   - customerManagedKey: Encrypt with the stack's customer managed KMS key; on in production
    ///     environments, the AWS managed key elsewhere (explained in the template for checkov's CKV_AWS_119).
    @discardableResult
    public init(
        in scope: Construct, _ id: String, partitionKey: Key, sortKey: Key? = nil, timeToLive: String? = nil,
        indexes: [GlobalSecondaryIndex] = [], localIndexes: [LocalSecondaryIndex] = [], stream: StreamView? = nil, encrypted: Bool = true, pointInTimeRecovery: Bool = true,
        deletionProtection: Bool = false, removalPolicy: RemovalPolicy = .retain, customerManagedKey: Bool? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.indexes = indexes
        self.localIndexes = localIndexes
        self.stream = stream
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
                DynamoDB.Table.GlobalSecondaryIndex(
                    indexName: Typed(index.name), keySchema: Self.keySchema(index.partitionKey, index.sortKey),
                    projection: Self.projection(index.projection))
            })
        }
        if !localIndexes.isEmpty {
            table.localSecondaryIndexes = List(localIndexes.map { index in
                DynamoDB.Table.LocalSecondaryIndex(
                    indexName: Typed(index.name), keySchema: Self.keySchema(partitionKey, index.sortKey),
                    projection: Self.projection(index.projection))
            })
        }
        if let stream {
            table.streamSpecification = .init(streamViewType: Typed(rawString: stream.rawValue))
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
    /// The ARN of the table's stream (only for a table made with `stream:`).
    public var streamArn: Value { resource.attribute("StreamArn") }

    /// Every key: the table's, then its global and local indexes'.
    private var allKeys: [Key] {
        [partitionKey, sortKey].compactMap { $0 } + indexes.flatMap { [$0.partitionKey, $0.sortKey].compactMap { $0 } }
            + localIndexes.map(\.sortKey)
    }

    /// Key attributes of the table and its indexes, each once, in order of first use.
    var attributes: [Key] {
        var keys: [Key] = []
        for key in allKeys where !keys.contains(where: { $0.name == key.name }) {
            keys.append(key)
        }
        return keys
    }

    /// Read access to items and indexes: GetItem, Query, Scan and their batch forms.
    @discardableResult
    public func grantRead(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        grantItems(DynamoDBPermissions.read, keyActions: DynamoDBPermissions.keyRead, to: grantee, verb: "grantRead", file: file, line: line)
    }

    /// Write access to items: PutItem, UpdateItem, DeleteItem, BatchWriteItem (and DescribeTable,
    /// which the SDKs call); no reads, no table administration.
    @discardableResult
    public func grantWrite(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        grantItems(
            DynamoDBPermissions.describe + DynamoDBPermissions.write, keyActions: DynamoDBPermissions.keyReadWrite, to: grantee,
            verb: "grantWrite", file: file, line: line)
    }

    /// Read and write access to items and indexes (no table administration).
    @discardableResult
    public func grantReadWrite(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        grantItems(
            DynamoDBPermissions.read + DynamoDBPermissions.write, keyActions: DynamoDBPermissions.keyReadWrite, to: grantee,
            verb: "grantReadWrite", file: file, line: line)
    }

    /// `actions` on the table and its indexes, and `keyActions` on its customer managed key.
    private func grantItems(
        _ actions: [String], keyActions: [String], to grantee: any Grantable, verb: String, file: String, line: Int
    ) -> Grant {
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: keyActions, resources: [encryptionKey.arn]))
        }
        return Grants.add(PolicyStatement(actions: actions, resources: resourceArns), on: self, to: grantee, verb: verb, file: file, line: line)
    }

    /// Read access to the table's stream: DescribeStream, GetRecords, GetShardIterator on it, and
    /// ListStreams on the table's streams (what a Lambda event source mapping needs).
    @discardableResult
    public func grantStreamRead(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        if stream == nil {
            grantee.report(Diagnostic(
                "\(grantee.path): grantStreamRead on \(path) needs a stream, and the table has none", at: SourceLocation(file: file, line: line),
                hint: "create the table with stream: .newAndOldImages (or the view the consumer needs)"))
        }
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: DynamoDBPermissions.keyRead, resources: [encryptionKey.arn]))
        }
        grantee.grantRole.addToPolicy(PolicyStatement(actions: DynamoDBPermissions.listStreams, resources: [.join("", [arn, "/stream/*"])]))
        return Grants.add(
            PolicyStatement(actions: DynamoDBPermissions.streamRead, resources: [streamArn]), on: self, to: grantee,
            verb: "grantStreamRead", file: file, line: line)
    }

    /// Has Lambda read the table's stream and invoke `function` with batches of changes, in order
    /// per item. Emits an `AWS::Lambda::EventSourceMapping` below the function and grants it
    /// `grantStreamRead`. A failing batch is split in two to find the bad record
    /// (`BisectBatchOnFunctionError`), the function may report partial batch failures
    /// (`batchItemFailures`), and a batch is retried `retryAttempts` times, so one bad record does
    /// not hold up its shard for the stream's 24 hours.
    ///
    /// - Parameters:
    ///   - startingPosition: Only changes after the mapping exists, by default.
    ///   - batchSize: Records per invocation, 1 to 10000: 100 by default.
    ///   - retryAttempts: Retries of a failing batch, 0 to 10000: 3 by default.
    ///   - onFailure: A queue that receives a description of each batch given up on (the
    ///     function may send to it); none by default, and the records are then dropped.
    @discardableResult
    public func addStreamConsumer(
        _ function: Function, startingPosition: StartingPosition = .latest, batchSize: Int = 100, retryAttempts: Int = 3,
        onFailure: Queue? = nil, file: String = #fileID, line: Int = #line
    ) -> Lambda.EventSourceMapping {
        let location = SourceLocation(file: file, line: line)
        if stream == nil {
            report(Diagnostic(
                "\(path): addStreamConsumer(\(function.path)) needs a stream, and the table has none", at: location,
                hint: "create the table with stream: .newAndOldImages (or the view the consumer needs)"))
        }
        if !(0...10_000).contains(retryAttempts) {
            report(Diagnostic(
                "\(path): stream retry attempts \(retryAttempts) is outside 0...10000", at: location,
                hint: "3 is the default; unlimited retries (-1) would hold up the shard for 24 hours on one bad record"))
        }
        if stream != nil { grantStreamRead(to: function, file: file, line: line) }
        let mapping = Lambda.EventSourceMapping(
            in: function, "\(LogicalIds.pascalCase(id))Stream", functionName: .value(function.arn),
            batchSize: Typed(batchSize), bisectBatchOnFunctionError: true, enabled: true, eventSourceArn: .value(streamArn),
            functionResponseTypes: [.reportBatchItemFailures], maximumRetryAttempts: Typed(retryAttempts),
            startingPosition: Typed(startingPosition.rawValue), file: file, line: line)
        if let onFailure {
            mapping.destinationConfig = .init(onFailure: .init(destination: .value(onFailure.arn)))
            function.role.addToPolicy(PolicyStatement(actions: ["sqs:SendMessage"], resources: [onFailure.arn]))
        }
        return mapping
    }

    /// The table, and its indexes when it has any.
    private var resourceArns: [Value] {
        indexes.isEmpty && localIndexes.isEmpty ? [arn] : [arn, .join("", [arn, "/index/*"])]
    }

    private static func keySchema(_ partition: Key, _ sort: Key?) -> List<DynamoDB.Table.KeySchema> {
        var schema = [DynamoDB.Table.KeySchema(attributeName: Typed(partition.name), keyType: "HASH")]
        if let sort { schema.append(.init(attributeName: Typed(sort.name), keyType: "RANGE")) }
        return List(schema)
    }

    private static func projection(_ projection: GlobalSecondaryIndex.Projection) -> DynamoDB.Table.Projection {
        let type = switch projection {
        case .all: "ALL"
        case .keysOnly: "KEYS_ONLY"
        case .include: "INCLUDE"
        }
        var nonKeyAttributes: List<Typed<String>>?
        if case .include(let attributes) = projection {
            nonKeyAttributes = List(attributes.map { Typed($0) })
        }
        return DynamoDB.Table.Projection(nonKeyAttributes: nonKeyAttributes, projectionType: Typed(rawString: type))
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let all = allKeys
        for key in all {
            if let other = all.first(where: { $0.name == key.name && $0.type != key.type }), !problems.contains(where: { $0.message.contains("'\(key.name)'") }) {
                problems.append(.construct(self, "key attribute '\(key.name)' is used as both \(key.type) and \(other.type)", hint: "a DynamoDB attribute has one type in every key it is part of"))
            }
        }
        var names = Set<String>()
        for name in indexes.map(\.name) + localIndexes.map(\.name) where !names.insert(name).inserted {
            problems.append(.construct(self, "index name '\(name)' is used twice", hint: "give each index its own name"))
        }
        if !localIndexes.isEmpty, sortKey == nil {
            problems.append(.construct(
                self, "local secondary index '\(localIndexes[0].name)' needs a table with a sort key, and this table has only a partition key",
                hint: "give the table a sortKey:, or make the index a GlobalSecondaryIndex"))
        }
        if localIndexes.count > 5 {
            problems.append(.construct(self, "\(localIndexes.count) local secondary indexes; DynamoDB allows 5", hint: "use global secondary indexes for the other access patterns"))
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
