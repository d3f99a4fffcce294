/// IAM actions behind `Queue.grantSend(to:)` and `Queue.grantConsume(to:)`.
enum SQSPermissions {
    static let send = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
    static let consume = [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
    ]
}
