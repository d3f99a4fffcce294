import CloudFormation
import Synthesis

extension KmsKey {
    /// What a customer managed key costs, in the words security justifications use.
    static let monthlyCost = "about $1 a month"

    /// The customer managed key of `construct`'s stack, made on first use: `EncryptionKey`, alias
    /// `alias/<stack name>`, usable by CloudWatch Logs for the stack's log groups (only for log
    /// groups of this account and region, by encryption context). Log groups, tables and Lambda
    /// environment variables of a production stack are encrypted with it; one key per stack keeps
    /// the cost at one key, not one per resource.
    public static func stackKey(for construct: Construct, file: String = #fileID, line: Int = #line) -> KmsKey? {
        guard let stack = construct.stack else { return nil }
        if let existing = stack.child("EncryptionKey") as? KmsKey { return existing }
        let logs = PolicyStatement(
            actions: ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"], resources: ["*"],
            principal: ["Service": .sub("logs.${AWS::Region}.amazonaws.com", Object())],
            condition: ["ArnLike": ["kms:EncryptionContext:aws:logs:arn": .sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*", Object())]])
        return KmsKey(
            in: stack, "EncryptionKey", alias: "alias/\(stack.stackName)",
            description: "Encrypts the log groups, tables and function settings of \(stack.stackName)",
            statements: [logs], file: file, line: line)
    }

    /// Whether `construct` should use a customer managed key: `setting` when given, else on in
    /// production environments only (the key costs money).
    static func wanted(_ setting: Bool?, by construct: Construct) -> Bool {
        setting ?? construct.app.environment.isProduction
    }

    /// The reason written when a construct leaves the customer managed key off.
    static func offReason(_ what: String, setting: String) -> String {
        "\(what); a customer managed KMS key (\(monthlyCost) per stack) is used only in production (tier: production) and is off here to save cost. Pass \(setting): true to use one."
    }

    /// The reason recorded when a production construct uses the stack's key.
    static let onReason = "Encrypted with the stack's customer managed KMS key, because the environment is production (tier: production)."
}
