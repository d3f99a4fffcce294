import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A private, encrypted, versioned S3 bucket.
///
/// Emits `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`. Stateful: retained on delete and on
/// replacement unless `removalPolicy: .destroy`. Secure by default: all four public-access blocks
/// on, objects owned by the bucket owner (no ACLs), server-side encryption (SSE-S3), versioning
/// (`versioned: false`; old versions expire after `noncurrentVersionDays`), and a policy that
/// refuses every request not made over TLS. Other constructs add statements to its policy (a
/// CloudFront distribution's read access, for example). Requests are logged into `accessLogs:`
/// when given; a distribution logs the requests to its origin bucket itself. Lifecycle rules
/// (`lifecycleRules:`, `addLifecycleRule(_:)`) expire or move objects; event notifications
/// (`addEventNotification(_:to:prefix:suffix:)`) reach a queue or a function, with the queue
/// policy or Lambda permission they need, and `sendEventsToEventBridge()` sends every event to
/// the account's default event bus.
///
///     let uploads = Bucket(in: photos, "Uploads", lifecycleRules: [LifecycleRule(id: "ExpireTmp", prefix: "tmp/", expirationDays: 1)])
///     uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "incoming/")
///     uploads.grantRead(to: worker, prefix: "incoming/")
public final class Bucket: Construct {
    /// The `AWS::S3::Bucket` this construct creates, typed.
    public private(set) var resource: S3.Bucket!
    /// Its bucket policy, typed.
    public private(set) var policy: S3.BucketPolicy!
    private var statements: [PolicyStatement] = []
    /// True for a bucket that receives other buckets' (or distributions') access logs.
    public let receivesAccessLogs: Bool
    /// The KMS key objects are encrypted with (SSE-KMS), if any; grants include its use.
    public let encryptionKey: KmsKey?
    /// The fixed bucket name, given or (for a bucket with notifications) derived.
    public internal(set) var fixedName: Value?
    /// The lifecycle rules this construct writes (its own, then the ones added).
    /// The bucket's own lifecycle rules (old versions, logs), by id.
    private var builtInRules: [(id: String, rule: S3.Bucket.Rule)] = []
    public private(set) var lifecycleRules: [LifecycleRule] = []
    /// Event notifications added so far, for the overlap check.
    var notifications: [EventNotification] = []
    var queueConfigurations: [S3.Bucket.QueueConfiguration] = []
    var lambdaConfigurations: [S3.Bucket.LambdaConfiguration] = []
    var sendsToEventBridge = false
    /// Whether notifications need the bucket named by its name (set by the first one).
    var notificationsFixedName = false
    /// Roles granted access to the bucket, rewritten when its name becomes fixed.
    var grantedRoles: [Role] = []
    /// Destinations already allowed to receive this bucket's events (queue policy or permission made).
    var allowedDestinations: Set<ObjectIdentifier> = []

    /// - Parameters:
    ///   - versioned: Keep earlier versions of every object; on by default.
    ///   - noncurrentVersionDays: Days an overwritten or deleted version is kept: 90 by default;
    ///     nil keeps them forever.
    ///   - bucketName: A fixed name; CloudFormation generates one by default.
    ///   - encryptionKey: SSE-KMS with this key; SSE-S3 by default.
    ///   - accessLogs: Log every request into this bucket (S3 server access logs, under
    ///     `<id>/`); no access logs by default.
    ///   - receivesAccessLogs: Make this a log bucket: S3's log delivery may write to it, logs
    ///     expire after `logRetentionDays`, and it does not log its own requests.
    ///   - lifecycleRules: Rules that expire objects or move them to cheaper storage classes;
    ///     none by default (beyond the expiry of old versions and of logs above).
    @discardableResult
    public init(
        in scope: Construct, _ id: String, versioned: Bool = true, noncurrentVersionDays: Int? = 90, bucketName: Value? = nil,
        encryptionKey: KmsKey? = nil, accessLogs: Bucket? = nil, receivesAccessLogs: Bool = false, logRetentionDays: Int = 90,
        lifecycleRules: [LifecycleRule] = [], removalPolicy: RemovalPolicy = .retain, file: String = #fileID, line: Int = #line
    ) {
        self.receivesAccessLogs = receivesAccessLogs
        self.encryptionKey = encryptionKey
        self.fixedName = bucketName
        super.init(in: scope, id, file: file, line: line)
        let byDefault = encryptionKey.map { S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms, kmsMasterKeyID: .value($0.arn)) }
            ?? S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .aes256)
        var rules: [(id: String, rule: S3.Bucket.Rule)] = []
        if receivesAccessLogs {
            rules.append(("ExpireLogs", .init(status: .enabled, expirationInDays: Typed(logRetentionDays), id: "ExpireLogs")))
        }
        if versioned, let noncurrentVersionDays {
            rules.append(("ExpireOldVersions", .init(
                status: .enabled, id: "ExpireOldVersions", noncurrentVersionExpiration: .init(noncurrentDays: Typed(noncurrentVersionDays)))))
        }
        resource = S3.Bucket(
            in: self, "Resource",
            bucketEncryption: .init(serverSideEncryptionConfiguration: [.init(bucketKeyEnabled: true, serverSideEncryptionByDefault: byDefault)]),
            bucketName: bucketName.map { .value($0) },
            lifecycleConfiguration: nil,
            ownershipControls: .init(rules: [.init(objectOwnership: .bucketOwnerEnforced)]),
            publicAccessBlockConfiguration: .init(blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            versioningConfiguration: versioned ? .init(status: .enabled) : nil,
            file: file, line: line)
        builtInRules = rules
        for rule in lifecycleRules { addLifecycleRule(rule) }
        renderLifecycle()
        removalPolicy.apply(to: resource)
        policy = S3.BucketPolicy(in: self, "Policy", bucket: .value(name), policyDocument: PolicyStatement.document([]), file: file, line: line)
        addToResourcePolicy(PolicyStatement(
            effect: .deny, actions: ["s3:*"], resources: [arn, objectsArn], principal: "*",
            condition: ["Bool": ["aws:SecureTransport": "false"]]))
        if receivesAccessLogs {
            addToResourcePolicy(PolicyStatement(
                actions: ["s3:PutObject"], resources: [objectsArn], principal: ["Service": "logging.s3.amazonaws.com"],
                condition: ["StringEquals": ["aws:SourceAccount": .accountId]]))
            resource.justify("CKV_AWS_18", because: "This is the access-log bucket: logging requests to it would only record the log deliveries themselves, in a loop.")
        }
        if let accessLogs { logAccess(to: accessLogs) }
    }

    /// Logs every request to this bucket into `logs` (S3 server access logs, under `<prefix>/`).
    public func logAccess(to logs: Bucket, prefix: String? = nil) {
        resource.properties["LoggingConfiguration"] = ["DestinationBucketName": logs.name, "LogFilePrefix": .string("\(prefix ?? id)/")]
        resource.withdrawDecision("CKV_AWS_18")
    }

    /// Lets CloudFront standard logging write here: it writes with object ACLs, which the bucket
    /// then must accept (`BucketOwnerPreferred`: the bucket owner still owns every object).
    func acceptObjectACLs() {
        resource.properties["OwnershipControls"] = ["Rules": [["ObjectOwnership": "BucketOwnerPreferred"]]]
    }

    /// The bucket's name: the literal name once it is fixed by S3 notifications (so that what the
    /// notified function is given does not depend on the bucket), else `!Ref`.
    public var name: Value {
        if notificationsFixedName, let fixedName { return fixedName }
        return resource.ref("Name")
    }
    /// The bucket's ARN: built from its name once notifications fixed it, else `!GetAtt`.
    public var arn: Value {
        if notificationsFixedName, let fixedName { return Self.arn(named: fixedName) }
        return resource.attribute("Arn")
    }

    static func arn(named name: Value) -> Value {
        if let literal = name.literalString { return .sub("arn:${AWS::Partition}:s3:::\(literal)", Object()) }
        return .join("", [.sub("arn:${AWS::Partition}:s3:::", Object()), name])
    }
    /// `arn:...:bucket/*`
    public var objectsArn: Value { .join("", [arn, "/*"]) }
    public var regionalDomainName: Value { resource.attribute("RegionalDomainName") }

    /// Adds a statement to the bucket policy.
    public func addToResourcePolicy(_ statement: PolicyStatement) {
        statements.append(statement)
        policy.policyDocument = PolicyStatement.document(statements)
    }

    /// The statements of the bucket policy, for review.
    public var policyStatements: [PolicyStatement] { statements }

    /// Adds a lifecycle rule (after the bucket's own rules for old versions and logs).
    public func addLifecycleRule(_ rule: LifecycleRule, file: String = #fileID, line: Int = #line) {
        for problem in rule.problems(existingIds: builtInRules.map(\.id) + lifecycleRules.map(\.id)) {
            report(Diagnostic("\(path): \(problem.message)", at: SourceLocation(file: file, line: line), hint: problem.hint))
        }
        lifecycleRules.append(rule)
        renderLifecycle()
    }

    private func renderLifecycle() {
        let rules = builtInRules.map(\.rule) + lifecycleRules.map(\.resourceRule)
        resource.lifecycleConfiguration = rules.isEmpty ? nil : .init(rules: List(rules))
    }

    // MARK: Grants

    /// Reading objects (`s3:GetObject`, `s3:GetObjectVersion`) and listing their keys
    /// (`s3:ListBucket`), all of them or those under `prefix` (`"incoming/"`), with `kms:Decrypt`
    /// on the bucket's key when it has one.
    @discardableResult
    public func grantRead(to grantee: any Grantable, prefix: String? = nil, file: String = #fileID, line: Int = #line) -> Grant {
        grantObjects(S3Permissions.read, list: true, key: S3Permissions.keyRead, to: grantee, prefix: prefix, verb: "grantRead", file: file, line: line)
    }

    /// Writing objects (`s3:PutObject`, `s3:AbortMultipartUpload`), anywhere or under `prefix`,
    /// with the key use that encrypting them takes when the bucket has a KMS key. No reads.
    @discardableResult
    public func grantPut(to grantee: any Grantable, prefix: String? = nil, file: String = #fileID, line: Int = #line) -> Grant {
        grantObjects(S3Permissions.put, list: false, key: S3Permissions.keyWrite, to: grantee, prefix: prefix, verb: "grantPut", file: file, line: line)
    }

    /// Deleting objects (`s3:DeleteObject`), anywhere or under `prefix`. In a versioned bucket this
    /// adds a delete marker; the old version stays until the lifecycle expires it (deleting versions
    /// themselves is not granted).
    @discardableResult
    public func grantDelete(to grantee: any Grantable, prefix: String? = nil, file: String = #fileID, line: Int = #line) -> Grant {
        grantObjects(S3Permissions.delete, list: false, key: [], to: grantee, prefix: prefix, verb: "grantDelete", file: file, line: line)
    }

    /// `grantRead`, `grantPut` and `grantDelete` together, anywhere or under `prefix`.
    @discardableResult
    public func grantReadWrite(to grantee: any Grantable, prefix: String? = nil, file: String = #fileID, line: Int = #line) -> Grant {
        grantObjects(
            S3Permissions.read + S3Permissions.put + S3Permissions.delete, list: true, key: S3Permissions.keyRead + S3Permissions.keyWrite,
            to: grantee, prefix: prefix, verb: "grantReadWrite", file: file, line: line)
    }

    /// `arn:...:bucket/<prefix>*`, or every object.
    public func objectsArn(prefix: String?) -> Value {
        guard let prefix, !prefix.isEmpty else { return objectsArn }
        return .join("", [arn, .string("/\(prefix)*")])
    }

    private func grantObjects(
        _ actions: [String], list: Bool, key: [String], to grantee: any Grantable, prefix: String?, verb: String, file: String, line: Int
    ) -> Grant {
        if let prefix, let problem = Self.prefixProblem(prefix) {
            grantee.report(Diagnostic(
                "\(grantee.path): \(verb) on \(path): key prefix '\(prefix)' \(problem)", at: SourceLocation(file: file, line: line),
                hint: "write the prefix as the keys start, without a leading '/' or wildcards, e.g. incoming/"))
        }
        if let encryptionKey, !key.isEmpty {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: Array(Set(key)).sorted(), resources: [encryptionKey.arn]))
        }
        if list {
            var condition: Object?
            if let prefix, !prefix.isEmpty { condition = ["StringLike": ["s3:prefix": .string("\(prefix)*")]] }
            grantee.grantRole.addToPolicy(PolicyStatement(actions: S3Permissions.list, resources: [arn], condition: condition))
        }
        if !grantedRoles.contains(where: { $0 === grantee.grantRole }) { grantedRoles.append(grantee.grantRole) }
        return Grants.add(
            PolicyStatement(actions: actions, resources: [objectsArn(prefix: prefix)]), on: self, to: grantee, verb: verb, file: file, line: line)
    }

    /// Why `prefix` cannot be a key prefix in a policy, if it cannot.
    static func prefixProblem(_ prefix: String) -> String? {
        if prefix.hasPrefix("/") { return "starts with '/' (S3 keys do not)" }
        if prefix.contains("*") || prefix.contains("?") { return "contains a wildcard" }
        if prefix.contains("${") { return "contains '${', which IAM reads as a policy variable" }
        return nil
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let name = fixedName?.literalString, let problem = Self.nameProblem(name) {
            problems.append(.construct(self, "bucket name '\(name)' \(problem)", hint: "use 3 to 63 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"))
        }
        return problems
    }

    /// Why `name` is not a valid bucket name, if it is not.
    static func nameProblem(_ name: String) -> String? {
        if !(3...63).contains(name.count) { return "is \(name.count) characters long" }
        if !name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }) { return "has characters other than lowercase letters, digits, '-' and '.'" }
        if name.first == "-" || name.first == "." || name.last == "-" || name.last == "." { return "must start and end with a letter or digit" }
        return nil
    }
}

/// IAM actions behind the `grant*` methods of `Bucket`.
enum S3Permissions {
    static let read = ["s3:GetObject", "s3:GetObjectVersion"]
    static let list = ["s3:ListBucket"]
    static let put = ["s3:AbortMultipartUpload", "s3:PutObject"]
    static let delete = ["s3:DeleteObject"]
    /// On the bucket's KMS key, for readers.
    static let keyRead = ["kms:Decrypt"]
    /// On the bucket's KMS key, for writers (multipart uploads decrypt their parts).
    static let keyWrite = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"]
}

extension Value {
    /// The text of a plain string value; nil for an intrinsic.
    var literalString: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
