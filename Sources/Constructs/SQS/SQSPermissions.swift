/// IAM actions behind `Queue.grantSend(to:)` and `Queue.grantConsume(to:)`.
enum SQSPermissions {
    static let send = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
    static let consume = [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
    ]
    /// On the queue's customer managed key, for senders.
    static let keySend = ["kms:Decrypt", "kms:GenerateDataKey"]
    /// On the queue's customer managed key, for consumers.
    static let keyConsume = ["kms:Decrypt"]
}
