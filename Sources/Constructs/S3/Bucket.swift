import CloudFormation
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
    public private(set) var resource: CfnResource!
    public private(set) var policy: CfnResource!
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
        var properties = Object()
        if let bucketName { properties["BucketName"] = bucketName }
        let byDefault: Value = encryptionKey.map { ["SSEAlgorithm": "aws:kms", "KMSMasterKeyID": $0.arn] } ?? ["SSEAlgorithm": "AES256"]
        properties["BucketEncryption"] = ["ServerSideEncryptionConfiguration": [["ServerSideEncryptionByDefault": byDefault, "BucketKeyEnabled": true]]]
        properties["PublicAccessBlockConfiguration"] = [
            "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
        ]
        properties["OwnershipControls"] = ["Rules": [["ObjectOwnership": "BucketOwnerEnforced"]]]
        if versioned { properties["VersioningConfiguration"] = ["Status": "Enabled"] }
        var rules: [Value] = []
        if receivesAccessLogs {
            rules.append(["Id": "ExpireLogs", "Status": "Enabled", "ExpirationInDays": .int(logRetentionDays)])
        }
        if versioned, let noncurrentVersionDays {
            rules.append(["Id": "ExpireOldVersions", "Status": "Enabled", "NoncurrentVersionExpiration": ["NoncurrentDays": .int(noncurrentVersionDays)]])
        }
        if !rules.isEmpty { properties["LifecycleConfiguration"] = ["Rules": .list(rules)] }
        resource = CfnResource(in: self, type: "AWS::S3::Bucket", properties: properties, file: file, line: line)
        removalPolicy.apply(to: resource)
        policy = CfnResource(in: self, "Policy", type: "AWS::S3::BucketPolicy", properties: ["Bucket": name], file: file, line: line)
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
        policy.properties["PolicyDocument"] = PolicyStatement.document(statements)
    }

    /// The statements of the bucket policy, for review.
    public var policyStatements: [PolicyStatement] { statements }

    @discardableResult
    public func grantRead(to grantee: any Grantable) -> Grant {
        Grants.add(PolicyStatement(actions: ["s3:GetObject"], resources: [objectsArn]), on: self, to: grantee, verb: "grantRead")
    }
}
