import AWSSNS
import CloudFormation
import L1Core
import Synthesis

/// An SNS topic for notifications, encrypted with its own KMS key.
///
/// Emits `AWS::SNS::Topic`, a `KmsKey` CloudWatch may use (alarms cannot publish to a topic encrypted
/// with the AWS managed `alias/aws/sns` key), and an `AWS::SNS::Subscription` per e-mail address.
/// Not stateful.
///
///     let alerts = Topic(in: stack, "Alerts", emails: ["ops@example.com"])
public final class Topic: Construct {
    /// The `AWS::SNS::Topic` this construct creates, typed.
    public private(set) var resource: SNS.Topic!
    public private(set) var key: KmsKey!

    @discardableResult
    public init(in scope: Construct, _ id: String, displayName: String? = nil, emails: [String] = [], file: String = #fileID, line: Int = #line) {
        super.init(in: scope, id, file: file, line: line)
        let alias = "alias/" + (stack.map { "\($0.stackName)-" } ?? "") + LogicalIds.pascalCase(id)
        key = KmsKey(in: self, "Key", alias: alias, description: "Encrypts topic \(relativePath)", usableBy: ["cloudwatch.amazonaws.com"], file: file, line: line)
        resource = SNS.Topic(in: self, "Resource", displayName: displayName.map { Typed($0) }, kmsMasterKeyId: .value(key.keyId), file: file, line: line)
        for (index, email) in emails.enumerated() {
            SNS.Subscription(in: self, "Email\(index + 1)", protocol: "email", topicArn: .value(arn), endpoint: Typed(email), file: file, line: line)
        }
    }

    public var arn: Value { resource.ref("Arn") }

    /// Allows `grantee` to publish to the topic: `sns:Publish` on it, and on its key what
    /// encrypting a message needs.
    @discardableResult
    public func grantPublish(to grantee: any Grantable) -> Grant {
        grantee.grantRole.addToPolicy(PolicyStatement(actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: [key.arn]))
        return Grants.add(PolicyStatement(actions: ["sns:Publish"], resources: [arn]), on: self, to: grantee, verb: "grantPublish")
    }
}
