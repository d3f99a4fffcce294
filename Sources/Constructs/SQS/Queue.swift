import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// An SQS queue with a dead-letter queue.
///
/// Emits two `AWS::SQS::Queue` (the queue and `<id>DeadLetters`), both encrypted (SSE-KMS) with the
/// AWS managed key `alias/aws/sqs`: no key to pay for, principals of the account that may use the
/// queue may use the key, and scanners recognise it (checkov's CKV_AWS_27 does not count SSE-SQS).
/// AWS services that send to queues themselves (SNS, S3, EventBridge) cannot use that key: when
/// one is allowed to send (`allowSend(fromService:sourceArn:)`, which S3 notifications and SNS
/// subscriptions call), the queue switches to SSE-SQS (keys SQS owns), unless it has a customer
/// managed `encryptionKey:` that the service may use. A message received `maxReceiveCount` times
/// without being deleted moves to the dead-letter queue, which keeps messages 14 days.
/// `addConsumer(_:)` wires a Lambda function through an `AWS::Lambda::EventSourceMapping` and
/// grants it exactly the consume permissions. Statements added to its resource policy
/// (`addToResourcePolicy(_:)`) go into an `AWS::SQS::QueuePolicy`, made on first use. Not stateful.
///
///     let work = Queue(in: quiz, "QuestionRequests", visibilityTimeout: 120)
///     work.addConsumer(generator)
///     work.grantSend(to: api)
///     work.alarmOnDeadLetters(topic: alerts)
public final class Queue: Construct {
    /// The AWS managed KMS key of SQS.
    public static let managedKey = "alias/aws/sqs"
    public let visibilityTimeout: Int
    public let retentionPeriod: Int
    public let maxReceiveCount: Int?
    /// The `AWS::SQS::Queue` this construct creates, typed.
    public private(set) var resource: SQS.Queue!
    /// The dead-letter queue, unless `maxReceiveCount: nil`.
    /// Its dead-letter queue, typed; none when `maxReceiveCount` is nil.
    public private(set) var deadLetters: SQS.Queue?
    /// The customer managed key the queue is encrypted with, if any; grants include its use.
    public let encryptionKey: KmsKey?
    /// The queue's resource policy, once a statement has been added to it.
    public private(set) var policy: SQS.QueuePolicy?
    /// The statements of the resource policy, for review.
    public private(set) var policyStatements: [PolicyStatement] = []
    private var consumers: [Function] = []

    /// - Parameters:
    ///   - visibilityTimeout: Seconds a received message stays hidden: 30 by default; at least the
    ///     timeout of every consumer function.
    ///   - retentionPeriod: Seconds a message is kept: 4 days (345600) by default.
    ///   - maxReceiveCount: Receives before a message moves to the dead-letter queue: 3 by default;
    ///     `nil` makes no dead-letter queue.
    ///   - encryptionKey: Encrypt the queue (not its dead-letter queue) with this customer managed
    ///     key; the AWS managed key `alias/aws/sqs` by default. A service that sends to the queue
    ///     must be among the key's `usableBy:` services.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, visibilityTimeout: Int = 30, retentionPeriod: Int = 345_600,
        maxReceiveCount: Int? = 3, encryptionKey: KmsKey? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.encryptionKey = encryptionKey
        self.visibilityTimeout = visibilityTimeout
        self.retentionPeriod = retentionPeriod
        self.maxReceiveCount = maxReceiveCount
        super.init(in: scope, id, file: file, line: line)
        var redrivePolicy: Value?
        if let maxReceiveCount {
            let dlq = SQS.Queue(in: self, "DeadLetters", kmsMasterKeyId: Typed(Self.managedKey), messageRetentionPeriod: 1_209_600, file: file, line: line)
            deadLetters = dlq
            redrivePolicy = ["deadLetterTargetArn": dlq.attrArn.cfnValue, "maxReceiveCount": .int(maxReceiveCount)]
        }
        resource = SQS.Queue(
            in: self, "Resource", kmsMasterKeyId: encryptionKey.map { .value($0.arn) } ?? Typed(Self.managedKey), messageRetentionPeriod: Typed(retentionPeriod),
            redrivePolicy: redrivePolicy, visibilityTimeout: Typed(visibilityTimeout), file: file, line: line)
    }

    /// The customer managed key, when the queue has one.
    public var key: KmsKey? { encryptionKey }

    public var url: Value { resource.ref("Url") }
    public var arn: Value { resource.attribute("Arn") }
    public var name: Value { resource.attribute("QueueName") }

    /// Sending messages (and reading the queue's URL and attributes).
    @discardableResult
    public func grantSend(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: SQSPermissions.keySend, resources: [encryptionKey.arn]))
        }
        return Grants.add(PolicyStatement(actions: SQSPermissions.send, resources: [arn]), on: self, to: grantee, verb: "grantSend", file: file, line: line)
    }

    /// Receiving, deleting and hiding messages.
    @discardableResult
    public func grantConsume(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        if let encryptionKey {
            grantee.grantRole.addToPolicy(PolicyStatement(actions: SQSPermissions.keyConsume, resources: [encryptionKey.arn]))
        }
        return Grants.add(PolicyStatement(actions: SQSPermissions.consume, resources: [arn]), on: self, to: grantee, verb: "grantConsume", file: file, line: line)
    }

    /// Adds a statement to the queue's resource policy (an `AWS::SQS::QueuePolicy`, `<id>Policy`,
    /// made on first use).
    @discardableResult
    public func addToResourcePolicy(_ statement: PolicyStatement, file: String = #fileID, line: Int = #line) -> SQS.QueuePolicy {
        policyStatements.append(statement)
        let document = PolicyStatement.document(policyStatements)
        if let policy {
            policy.policyDocument = document
            return policy
        }
        let made = SQS.QueuePolicy(in: self, "Policy", policyDocument: document, queues: [.value(url)], file: file, line: line)
        policy = made
        return made
    }

    /// Lets the AWS service `service` (`s3.amazonaws.com`, `sns.amazonaws.com`, ...) send messages
    /// on behalf of `sourceArn` only: a queue policy statement with an `aws:SourceArn` condition
    /// (and `aws:SourceAccount` when `sourceAccount` is given). Services cannot use the AWS managed
    /// key `alias/aws/sqs`, so a queue encrypted with it switches to SSE-SQS; with a customer managed
    /// `encryptionKey`, the key must list the service in `usableBy:`.
    @discardableResult
    public func allowSend(
        fromService service: String, sourceArn: Value, sourceAccount: Value? = nil, file: String = #fileID, line: Int = #line
    ) -> SQS.QueuePolicy {
        var condition: Object = ["ArnEquals": ["aws:SourceArn": sourceArn]]
        if let sourceAccount { condition["StringEquals"] = ["aws:SourceAccount": sourceAccount] }
        if encryptionKey == nil, resource.sqsManagedSseEnabled == nil {
            resource.kmsMasterKeyId = nil
            resource.sqsManagedSseEnabled = true
            resource.justify("CKV_AWS_27", because: "Encrypted with SSE-SQS (keys SQS owns), because \(service) sends to this queue and AWS services cannot use the AWS managed key alias/aws/sqs. Pass encryptionKey: a KmsKey usable by \(service) to use a customer managed key.")
        }
        return addToResourcePolicy(
            PolicyStatement(actions: ["sqs:SendMessage"], resources: [arn], principal: ["Service": .string(service)], condition: condition),
            file: file, line: line)
    }

    /// Has Lambda poll the queue and invoke `function` with batches of messages. The function may
    /// report partial batch failures (`batchItemFailures`), so one bad message does not return the
    /// whole batch to the queue.
    ///
    /// - Parameter batchSize: Messages per invocation, 1 to 10: 10 by default.
    @discardableResult
    public func addConsumer(_ function: Function, batchSize: Int = 10, file: String = #fileID, line: Int = #line) -> CfnResource {
        consumers.append(function)
        grantConsume(to: function, file: file, line: line)
        let mapping = CfnResource(
            in: function, "\(LogicalIds.pascalCase(id))Source", type: "AWS::Lambda::EventSourceMapping",
            properties: [
                "EventSourceArn": arn, "FunctionName": function.arn, "BatchSize": .int(batchSize),
                "FunctionResponseTypes": ["ReportBatchItemFailures"], "Enabled": true,
            ], file: file, line: line)
        if !(1...10).contains(batchSize) {
            report(.construct(self, "batch size \(batchSize) is outside 1...10 for a standard queue", hint: "10 is the default"))
        }
        return mapping
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !(0...43200).contains(visibilityTimeout) {
            problems.append(.construct(self, "visibility timeout \(visibilityTimeout) s is outside 0...43200", hint: "use at least the consumer's timeout"))
        }
        if !(60...1_209_600).contains(retentionPeriod) {
            problems.append(.construct(self, "retention period \(retentionPeriod) s is outside 60...1209600", hint: "4 days (345600) is the default"))
        }
        if let maxReceiveCount, !(1...1000).contains(maxReceiveCount) {
            problems.append(.construct(self, "max receive count \(maxReceiveCount) is outside 1...1000", hint: "3 is the default"))
        }
        for function in consumers where function.timeout > visibilityTimeout {
            problems.append(.construct(
                self, "visibility timeout \(visibilityTimeout) s is shorter than the timeout of consumer \(function.path) (\(function.timeout) s)",
                hint: "Lambda refuses such a mapping; set visibilityTimeout to at least \(function.timeout) (AWS suggests 6 times the function timeout)"))
        }
        return problems
    }
}
