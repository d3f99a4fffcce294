import AWSS3
import CloudFormation
import L1Core
import Synthesis

/// A private, encrypted S3 bucket.
///
/// Emits `AWS::S3::Bucket` and `AWS::S3::BucketPolicy`. Stateful: retained on delete and on
/// replacement unless `removalPolicy: .destroy`. Secure by default: all four public-access blocks
/// on, objects owned by the bucket owner (no ACLs), server-side encryption (SSE-S3), and a policy
/// that refuses every request not made over TLS. Other constructs add statements to its policy
/// (a CloudFront distribution's read access, for example).
///
///     let site = Bucket(in: frontend, "Site")
public final class Bucket: Construct {
    /// The `AWS::S3::Bucket` this construct creates, typed.
    public private(set) var resource: S3.Bucket!
    /// Its bucket policy, typed.
    public private(set) var policy: S3.BucketPolicy!
    private var statements: [PolicyStatement] = []

    /// - Parameters:
    ///   - versioned: Keep every version of every object; off by default.
    ///   - bucketName: A fixed name; CloudFormation generates one by default.
    ///   - encryptionKey: SSE-KMS with this key; SSE-S3 by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, versioned: Bool = false, bucketName: Value? = nil, encryptionKey: KmsKey? = nil,
        removalPolicy: RemovalPolicy = .retain, file: String = #fileID, line: Int = #line
    ) {
        super.init(in: scope, id, file: file, line: line)
        let byDefault = encryptionKey.map { S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .awsKms, kmsMasterKeyID: .value($0.arn)) }
            ?? S3.Bucket.ServerSideEncryptionByDefault(sseAlgorithm: .aes256)
        resource = S3.Bucket(
            in: self, "Resource",
            bucketEncryption: .init(serverSideEncryptionConfiguration: [.init(bucketKeyEnabled: true, serverSideEncryptionByDefault: byDefault)]),
            bucketName: bucketName.map { .value($0) },
            ownershipControls: .init(rules: [.init(objectOwnership: .bucketOwnerEnforced)]),
            publicAccessBlockConfiguration: .init(blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true),
            versioningConfiguration: versioned ? .init(status: .enabled) : nil,
            file: file, line: line)
        removalPolicy.apply(to: resource)
        policy = S3.BucketPolicy(in: self, "Policy", bucket: .value(name), policyDocument: PolicyStatement.document([]), file: file, line: line)
        addToResourcePolicy(PolicyStatement(
            effect: .deny, actions: ["s3:*"], resources: [arn, objectsArn], principal: "*",
            condition: ["Bool": ["aws:SecureTransport": "false"]]))
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
