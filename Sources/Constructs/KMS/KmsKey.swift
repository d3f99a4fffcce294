import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A customer managed KMS key with yearly rotation and an alias.
///
/// Emits `AWS::KMS::Key` and `AWS::KMS::Alias`. Stateful: what it encrypted is unreadable
/// without it, so it is retained (and only scheduled for deletion after 30 days if ever
/// deleted). The key policy gives the account's IAM policies control (the account root), plus
/// the services named in `usableBy`.
///
///     let key = Key(in: stack, "StateKey", alias: "alias/dev-terraform-state")
public final class KmsKey: Construct {
    public let alias: String
    /// The `AWS::KMS::Key` this construct creates, typed.
    public private(set) var resource: KMS.Key!
    /// Service principals the key policy lets encrypt and decrypt (`usableBy`, then `allow(service:)`).
    public private(set) var services: [String] = []
    private var extraStatements: [PolicyStatement] = []

    /// - Parameter usableBy: Service principals that may encrypt and decrypt with the key (for
    ///   example `cloudwatch.amazonaws.com` for alarms publishing to an encrypted topic); none.
    /// - Parameter statements: More key policy statements, after the ones above; none by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, alias: String, description: String? = nil, usableBy services: [String] = [],
        statements extra: [PolicyStatement] = [], file: String = #fileID, line: Int = #line
    ) {
        self.alias = alias
        self.services = services
        self.extraStatements = extra
        super.init(in: scope, id, file: file, line: line)
        resource = KMS.Key(
            in: self, "Resource", description: description.map { Typed($0) }, enableKeyRotation: true,
            keyPolicy: keyPolicy, pendingWindowInDays: 30, file: file, line: line)
        RemovalPolicy.retain.apply(to: resource)
        KMS.Alias(in: self, "Alias", aliasName: Typed(alias), targetKeyId: .value(keyId), file: file, line: line)
    }

    private var keyPolicy: Value {
        var statements = [PolicyStatement(
            actions: ["kms:*"], resources: ["*"], principal: ["AWS": .sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", Object())])]
        for service in services {
            statements.append(PolicyStatement(
                actions: ["kms:Decrypt", "kms:GenerateDataKey*"], resources: ["*"], principal: ["Service": .string(service)],
                condition: ["StringEquals": ["aws:SourceAccount": .accountId]]))
        }
        return PolicyStatement.document(statements + extraStatements)
    }

    /// Lets the AWS service principal `service` (`events.amazonaws.com`) encrypt and decrypt with
    /// the key, for requests on behalf of this account only, as `usableBy` does; nothing when it may
    /// already. Constructs call it for the services they make send to an encrypted queue or topic.
    public func allow(service: String) {
        guard !services.contains(service) else { return }
        services.append(service)
        resource.keyPolicy = keyPolicy
    }

    public var keyId: Value { resource.ref("Id") }
    public var arn: Value { resource.attribute("Arn") }

    /// Encrypt and decrypt with the key.
    @discardableResult
    public func grantEncryptDecrypt(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        Grants.add(
            PolicyStatement(actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: [arn]), on: self, to: grantee,
            verb: "grantEncryptDecrypt", file: file, line: line)
    }

    public override func validate() -> [Diagnostic] {
        let name = alias.dropFirst("alias/".count)
        if !alias.hasPrefix("alias/") || name.isEmpty || name.hasPrefix("aws/") || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_-".contains($0)) }) {
            return [.construct(self, "key alias '\(alias)' must be 'alias/' and letters, digits, '/', '_' or '-', not under alias/aws/", hint: "e.g. alias/dev-terraform-state")]
        }
        return []
    }
}
