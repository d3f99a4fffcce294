/// IAM actions behind `Queue.grantSend(to:)` and `Queue.grantConsume(to:)`.
enum SQSPermissions {
    static let send = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
    static let consume = [
        "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
        "sqs:ReceiveMessage",
    ]
    /// On a queue's customer managed key, for senders (SQS encrypts each message with a data key).
    static let keySend = ["kms:Decrypt", "kms:GenerateDataKey"]
    /// On a queue's customer managed key, for consumers.
    static let keyConsume = ["kms:Decrypt"]
}
