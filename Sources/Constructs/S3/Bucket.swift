import AWSS3
import CloudFormation
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
/// when given; a distribution logs the requests to its origin bucket itself.
///
///     let site = Bucket(in: frontend, "Site")
public final class Bucket: Construct {
    /// The `AWS::S3::Bucket` this construct creates, typed.
    public private(set) var resource: S3.Bucket!
    /// Its bucket policy, typed.
    public private(set) var policy: S3.BucketPolicy!
    private var statements: [PolicyStatement] = []
    /// True for a bucket that receives other buckets' (or distributions') access logs.
    public let receivesAccessLogs: Bool

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
    @discardableResult
    public init(
        in scope: Construct, _ id: String, versioned: Bool = true, noncurrentVersionDays: Int? = 90, bucketName: Value? = nil,
        encryptionKey: KmsKey? = nil, accessLogs: Bucket? = nil, receivesAccessLogs: Bool = false, logRetentionDays: Int = 90,
        removalPolicy: RemovalPolicy = .retain, file: String = #fileID, line: Int = #line
    ) {
        self.receivesAccessLogs = receivesAccessLogs
        super.init(in: scope, id, file: file, line: line)
        let byDefault = encryptionKey.map { S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms, kmsMasterKeyID: .value($0.arn)) }
            ?? S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .aes256)
        var rules: [S3.Bucket.Rule] = []
        if receivesAccessLogs {
            rules.append(.init(status: .enabled, expirationInDays: Typed(logRetentionDays), id: "ExpireLogs"))
        }
        if versioned, let noncurrentVersionDays {
            rules.append(.init(status: .enabled, id: "ExpireOldVersions", noncurrentVersionExpiration: .init(noncurrentDays: Typed(noncurrentVersionDays))))
        }
        resource = S3.Bucket(
            in: self, "Resource",
            bucketEncryption: .init(serverSideEncryptionConfiguration: [.init(bucketKeyEnabled: true, serverSideEncryptionByDefault: byDefault)]),
            bucketName: bucketName.map { .value($0) },
            lifecycleConfiguration: rules.isEmpty ? nil : .init(rules: List(rules)),
            ownershipControls: .init(rules: [.init(objectOwnership: .bucketOwnerEnforced)]),
            publicAccessBlockConfiguration: .init(blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            versioningConfiguration: versioned ? .init(status: .enabled) : nil,
            file: file, line: line)
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

    public var name: Value { resource.ref("Name") }
    public var arn: Value { resource.attribute("Arn") }
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

    @discardableResult
    public func grantRead(to grantee: any Grantable) -> Grant {
        Grants.add(PolicyStatement(actions: ["s3:GetObject"], resources: [objectsArn]), on: self, to: grantee, verb: "grantRead")
    }
}
