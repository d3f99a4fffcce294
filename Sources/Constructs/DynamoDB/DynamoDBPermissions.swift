/// IAM actions behind `Table.grantRead(to:)` and `Table.grantReadWrite(to:)`.
enum DynamoDBPermissions {
    static let read = [
        "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
        "dynamodb:Query", "dynamodb:Scan",
    ]
    static let write = [
        "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
    ]
}
