import AWSSQS
import CloudFormation
import L1Core
import Synthesis

/// An SQS queue with a dead-letter queue.
///
/// Emits two `AWS::SQS::Queue` (the queue and `<id>DeadLetters`), both encrypted (SSE-KMS) with the
/// AWS managed key `alias/aws/sqs`: no key to pay for, principals of the account that may use the
/// queue may use the key, and scanners recognise it (checkov's CKV_AWS_27 does not count SSE-SQS).
/// AWS services that send to queues themselves (SNS, EventBridge, S3) cannot use that key: give
/// such a queue `encryption: .sqsManaged` (SSE-SQS, free) or `.key(...)` (a customer managed key,
/// whose policy the sending construct extends). A message received `maxReceiveCount` times without being deleted moves to the dead-letter
/// queue, which keeps messages 14 days. `addConsumer(_:)` wires a Lambda function through an
/// `AWS::Lambda::EventSourceMapping` and grants it exactly the consume permissions. Not stateful.
///
///     let work = Queue(in: quiz, "QuestionRequests", visibilityTimeout: 120)
///     work.addConsumer(generator)
///     work.grantSend(to: api)
/// How a queue is encrypted at rest.
public enum QueueEncryption {
    /// SSE-KMS with the AWS managed key `alias/aws/sqs`: the default. Only principals of the
    /// account can use the key, so AWS services that send themselves (EventBridge, S3, SNS) cannot.
    case awsManagedKey
    /// SSE-SQS, with keys SQS owns: free, and usable by every sender the queue policy allows;
    /// checkov does not count it (CKV_AWS_27 is justified on the queue).
    case sqsManaged
    /// SSE-KMS with this customer managed key (about $1 a month); a construct that makes a service
    /// send to the queue adds that service to the key policy, grants add the KMS actions.
    case key(KmsKey)
}

public final class Queue: Construct {
    /// The AWS managed KMS key of SQS.
    public static let managedKey = "alias/aws/sqs"
    public let encryption: QueueEncryption
    public let visibilityTimeout: Int
    public let retentionPeriod: Int
    public let maxReceiveCount: Int?
    /// The `AWS::SQS::Queue` this construct creates, typed.
    public private(set) var resource: SQS.Queue!
    /// The dead-letter queue, unless `maxReceiveCount: nil`.
    /// Its dead-letter queue, typed; none when `maxReceiveCount` is nil.
    public private(set) var deadLetters: SQS.Queue?
    private var consumers: [Function] = []

    /// - Parameters:
    ///   - visibilityTimeout: Seconds a received message stays hidden: 30 by default; at least the
    ///     timeout of every consumer function.
    ///   - retentionPeriod: Seconds a message is kept: 4 days (345600) by default.
    ///   - maxReceiveCount: Receives before a message moves to the dead-letter queue: 3 by default;
    ///     `nil` makes no dead-letter queue.
    ///   - encryption: SSE-KMS with the AWS managed key `alias/aws/sqs` by default; `.sqsManaged`
    ///     or `.key(...)` for a queue that EventBridge, S3 or SNS send to. The dead-letter queue
    ///     keeps the AWS managed key (SQS itself moves messages there).
    @discardableResult
    public init(
        in scope: Construct, _ id: String, visibilityTimeout: Int = 30, retentionPeriod: Int = 345_600,
        maxReceiveCount: Int? = 3, encryption: QueueEncryption = .awsManagedKey, file: String = #fileID, line: Int = #line
    ) {
        self.encryption = encryption
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
            in: self, "Resource", kmsMasterKeyId: Typed(Self.managedKey), messageRetentionPeriod: Typed(retentionPeriod),
            redrivePolicy: redrivePolicy, visibilityTimeout: Typed(visibilityTimeout), file: file, line: line)
        switch encryption {
        case .awsManagedKey: break
        case .sqsManaged:
            resource.kmsMasterKeyId = nil
            resource.sqsManagedSseEnabled = true
            resource.justify("CKV_AWS_27", because: "Encrypted at rest with SQS-owned keys (SSE-SQS), which AWS services sending to the queue (EventBridge, S3, SNS) can use and the AWS managed key alias/aws/sqs cannot; checkov counts only KMS. Pass encryption: .key(...) for a customer managed key.")
        case .key(let key):
            resource.kmsMasterKeyId = .value(key.arn)
        }
    }

    /// The customer managed key, when the queue has one.
    public var key: KmsKey? {
        if case .key(let key) = encryption { return key }
        return nil
    }

    public var url: Value { resource.ref("Url") }
    public var arn: Value { resource.attribute("Arn") }
    public var name: Value { resource.attribute("QueueName") }

    @discardableResult
    public func grantSend(to grantee: any Grantable) -> Grant {
        if let key { grantee.grantRole.addToPolicy(PolicyStatement(actions: SQSPermissions.keySend, resources: [key.arn])) }
        return Grants.add(PolicyStatement(actions: SQSPermissions.send, resources: [arn]), on: self, to: grantee, verb: "grantSend")
    }

    @discardableResult
    public func grantConsume(to grantee: any Grantable) -> Grant {
        if let key { grantee.grantRole.addToPolicy(PolicyStatement(actions: SQSPermissions.keyConsume, resources: [key.arn])) }
        return Grants.add(PolicyStatement(actions: SQSPermissions.consume, resources: [arn]), on: self, to: grantee, verb: "grantConsume")
    }

    /// Has Lambda poll the queue and invoke `function` with batches of messages. The function may
    /// report partial batch failures (`batchItemFailures`), so one bad message does not return the
    /// whole batch to the queue.
    ///
    /// - Parameter batchSize: Messages per invocation, 1 to 10: 10 by default.
    @discardableResult
    public func addConsumer(_ function: Function, batchSize: Int = 10, file: String = #fileID, line: Int = #line) -> CfnResource {
        consumers.append(function)
        grantConsume(to: function)
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
