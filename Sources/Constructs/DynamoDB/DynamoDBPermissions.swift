/// IAM actions behind `Table.grantRead(to:)` and `Table.grantReadWrite(to:)`.
enum DynamoDBPermissions {
    static let read = [
        "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
        "dynamodb:Query", "dynamodb:Scan",
    ]
    static let write = [
        "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]
    /// On a table's customer managed key, for readers (as aws-cdk-lib grants).
    static let keyRead = ["kms:Decrypt", "kms:DescribeKey"]
    /// On a table's customer managed key, for writers.
    static let keyReadWrite = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
}
