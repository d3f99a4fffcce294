import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// Who receives a topic's messages.
public enum Subscriber {
    /// An e-mail address; the owner confirms the subscription from the first message.
    case email(String)
    /// A queue; `rawMessageDelivery` delivers the message body alone instead of SNS's JSON envelope.
    case queue(Queue, rawMessageDelivery: Bool = false)
    /// A function, invoked asynchronously with each message.
    case function(Function)
}

/// An SNS topic for notifications, encrypted with its own KMS key.
///
/// Emits `AWS::SNS::Topic`, a `KmsKey` CloudWatch may use (alarms cannot publish to a topic encrypted
/// with the AWS managed `alias/aws/sns` key), and an `AWS::SNS::Subscription` per subscriber:
/// e-mail addresses (`emails:` or `addSubscription(.email(...))`), queues (with a queue policy
/// statement letting this topic, and only it, send) and functions (with an `AWS::Lambda::Permission`
/// for this topic). A queue's or function's subscription is made beside it, in its stack. Not stateful.
///
///     let alerts = Topic(in: stack, "Alerts", emails: ["ops@example.com"])
///     alerts.addSubscription(.queue(work))
public final class Topic: Construct {
    /// The `AWS::SNS::Topic` this construct creates, typed.
    public private(set) var resource: SNS.Topic!
    public private(set) var key: KmsKey!
    private var emailCount = 0

    @discardableResult
    public init(in scope: Construct, _ id: String, displayName: String? = nil, emails: [String] = [], file: String = #fileID, line: Int = #line) {
        super.init(in: scope, id, file: file, line: line)
        let alias = "alias/" + (stack.map { "\($0.stackName)-" } ?? "") + LogicalIds.pascalCase(id)
        key = KmsKey(in: self, "Key", alias: alias, description: "Encrypts topic \(relativePath)", usableBy: ["cloudwatch.amazonaws.com"], file: file, line: line)
        resource = SNS.Topic(in: self, "Resource", displayName: displayName.map { Typed($0) }, kmsMasterKeyId: .value(key.keyId), file: file, line: line)
        for email in emails { addSubscription(.email(email), file: file, line: line) }
    }

    public var arn: Value { resource.ref("Arn") }

    /// Subscribes `subscriber` to the topic, with the queue policy or permission it needs.
    @discardableResult
    public func addSubscription(_ subscriber: Subscriber, file: String = #fileID, line: Int = #line) -> SNS.Subscription {
        let name = LogicalIds.pascalCase(id)
        switch subscriber {
        case .email(let address):
            emailCount += 1
            if !Self.isEmailAddress(address) {
                report(Diagnostic(
                    "\(path): '\(address)' is not an e-mail address", at: SourceLocation(file: file, line: line),
                    hint: "write one address, e.g. ops@example.com"))
            }
            return SNS.Subscription(in: self, "Email\(emailCount)", protocol: "email", topicArn: .value(arn), endpoint: Typed(address), file: file, line: line)
        case .queue(let queue, let raw):
            queue.allowSend(fromService: "sns.amazonaws.com", sourceArn: arn, file: file, line: line)
            return SNS.Subscription(
                in: queue, "\(name)Subscription", protocol: "sqs", topicArn: .value(arn), endpoint: .value(queue.arn),
                rawMessageDelivery: raw ? true : nil, file: file, line: line)
        case .function(let function):
            function.invokedAsynchronously(by: self)
            Lambda.Permission(
                in: function, "\(name)Permission", action: "lambda:InvokeFunction", functionName: .value(function.arn),
                principal: "sns.amazonaws.com", sourceArn: .value(arn), file: file, line: line)
            return SNS.Subscription(
                in: function, "\(name)Subscription", protocol: "lambda", topicArn: .value(arn), endpoint: .value(function.arn),
                file: file, line: line)
        }
    }

    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }

    /// Allows `grantee` to publish to the topic: `sns:Publish` on it, and on its key what
    /// encrypting a message needs.
    @discardableResult
    public func grantPublish(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        grantee.grantRole.addToPolicy(PolicyStatement(actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: [key.arn]))
        return Grants.add(PolicyStatement(actions: ["sns:Publish"], resources: [arn]), on: self, to: grantee, verb: "grantPublish", file: file, line: line)
    }
}
