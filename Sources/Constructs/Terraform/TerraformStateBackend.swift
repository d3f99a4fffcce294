import CloudFormation
import Synthesis

/// What Terraform needs to keep its state in an account (seed 003): a state bucket, a lock table
/// and a role allowed to use both.
///
/// Emits a `KmsKey` with alias `alias/<name>`, a `Bucket` encrypted with it (SSE-KMS), versioned,
/// private and TLS-only, logging every request into an access-log `Bucket`, a `Table` keyed by `LockID`, and a `Role` assumable by `assumedBy` with
/// exactly the S3, DynamoDB and KMS actions Terraform's S3 backend uses. All stateful parts are
/// retained.
///
///     let state = TerraformStateBackend(in: cicd, "TerraformState", name: "dev-weather-terraform-state",
///                                       assumedBy: .accounts(deployRole.role.arn))
public final class TerraformStateBackend: Construct {
    public private(set) var key: KmsKey!
    public private(set) var bucket: Bucket!
    /// Where the state bucket's access logs go: who read or wrote state, and when.
    public private(set) var accessLogs: Bucket!
    public private(set) var lockTable: Table!
    public private(set) var role: Role!

    @discardableResult
    public init(in scope: Construct, _ id: String, name: String, assumedBy: RolePrincipal, file: String = #fileID, line: Int = #line) {
        super.init(in: scope, id, file: file, line: line)
        key = KmsKey(in: self, "Key", alias: "alias/\(name)", description: "Encrypts Terraform state \(name)", file: file, line: line)
        accessLogs = Bucket(in: self, "AccessLogs", receivesAccessLogs: true, file: file, line: line)
        bucket = Bucket(in: self, "Bucket", versioned: true, encryptionKey: key, accessLogs: accessLogs, file: file, line: line)
        lockTable = Table(in: self, "Locks", partitionKey: .string("LockID"), file: file, line: line)
        role = Role(in: self, "Role", trust: assumedBy, description: "Terraform state access for \(name)", file: file, line: line)
        role.addToPolicy(PolicyStatement(actions: ["s3:ListBucket"], resources: [bucket.arn]))
        role.addToPolicy(PolicyStatement(actions: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], resources: [bucket.objectsArn]))
        role.addToPolicy(PolicyStatement(actions: ["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"], resources: [lockTable.arn]))
        role.addToPolicy(PolicyStatement(actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [key.arn]))
        if let tableKey = lockTable.encryptionKey {
            role.addToPolicy(PolicyStatement(actions: DynamoDBPermissions.keyReadWrite, resources: [tableKey.arn]))
        }
    }
}
