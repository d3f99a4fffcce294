/// IAM actions behind the `grant*` methods of `Table`.
enum DynamoDBPermissions {
    static let read = [
        "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
        "dynamodb:Query", "dynamodb:Scan",
    ]
    static let write = [
        "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]
    /// What the SDKs call before writing.
    static let describe = ["dynamodb:DescribeTable"]
    /// On the table's stream.
    static let streamRead = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"]
    /// On the table's streams (`<table arn>/stream/*`): finding the current one.
    static let listStreams = ["dynamodb:ListStreams"]
    /// On a table's customer managed key, for readers (as aws-cdk-lib grants).
    static let keyRead = ["kms:Decrypt", "kms:DescribeKey"]
    /// On a table's customer managed key, for writers.
    static let keyReadWrite = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
}
