import CloudFormation
import Synthesis

/// An SNS topic for notifications, encrypted with its own KMS key.
///
/// Emits `AWS::SNS::Topic`, a `KmsKey` CloudWatch may use (alarms cannot publish to a topic encrypted
/// with the AWS managed `alias/aws/sns` key), and an `AWS::SNS::Subscription` per e-mail address.
/// Not stateful.
///
///     let alerts = Topic(in: stack, "Alerts", emails: ["ops@example.com"])
public final class Topic: Construct {
    public private(set) var resource: CfnResource!
    public private(set) var key: KmsKey!

    @discardableResult
    public init(in scope: Construct, _ id: String, displayName: String? = nil, emails: [String] = [], file: String = #fileID, line: Int = #line) {
        super.init(in: scope, id, file: file, line: line)
        let alias = "alias/" + (stack.map { "\($0.stackName)-" } ?? "") + LogicalIds.pascalCase(id)
        key = KmsKey(in: self, "Key", alias: alias, description: "Encrypts topic \(relativePath)", usableBy: ["cloudwatch.amazonaws.com"], file: file, line: line)
        var properties: Object = ["KmsMasterKeyId": key.keyId]
        if let displayName { properties["DisplayName"] = .string(displayName) }
        resource = CfnResource(in: self, type: "AWS::SNS::Topic", properties: properties, file: file, line: line)
        for (index, email) in emails.enumerated() {
            CfnResource(
                in: self, "Email\(index + 1)", type: "AWS::SNS::Subscription",
                properties: ["TopicArn": arn, "Protocol": "email", "Endpoint": .string(email)], file: file, line: line)
        }
    }

    public var arn: Value { resource.ref("Arn") }
}
