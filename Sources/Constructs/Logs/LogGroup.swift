import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A CloudWatch Logs log group with a retention period.
///
/// Emits `AWS::Logs::LogGroup` with a generated name. Stateful (it holds logs): retained on
/// delete unless `removalPolicy: .destroy`. Encrypted at rest by CloudWatch Logs; in production
/// (`tier: production`) with the stack's customer managed KMS key (`customerManagedKey:`).
///
///     let logs = LogGroup(in: api, "AccessLogs", retentionDays: 90)
public final class LogGroup: Construct {
    /// The retention periods CloudWatch Logs accepts, in days.
    public static let retentionPeriods = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

    public let retentionDays: Int
    /// The `AWS::Logs::LogGroup` this construct creates, typed.
    public private(set) var resource: Logs.LogGroup!

    /// - Parameters:
    ///   - name: The log group's name (a fixed physical name); CloudFormation generates one by default.
    ///   - retentionDays: How long events are kept: 30 days by default.
    ///   - customerManagedKey: Encrypt with the stack's customer managed KMS key
    ///     (`KmsKey.stackKey(for:)`); on in production environments, off elsewhere (CloudWatch
    ///     Logs' own encryption), which the template's metadata says for checkov's CKV_AWS_158.
    public init(
        in scope: Construct, _ id: String, name logGroupName: String? = nil, retentionDays: Int = 30, removalPolicy: RemovalPolicy = .retain,
        customerManagedKey: Bool? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.retentionDays = retentionDays
        super.init(in: scope, id, file: file, line: line)
        let key = KmsKey.wanted(customerManagedKey, by: self) ? KmsKey.stackKey(for: self, file: file, line: line) : nil
        resource = Logs.LogGroup(
            in: self, "Resource", kmsKeyId: key.map { .value($0.arn) }, logGroupName: logGroupName.map { Typed($0) }, retentionInDays: Typed(retentionDays), file: file, line: line)
        removalPolicy.apply(to: resource)
        if key != nil {
            resource.enabled("CKV_AWS_158", because: KmsKey.onReason)
        } else {
            resource.justify("CKV_AWS_158", because: KmsKey.offReason(
                "Log events are encrypted at rest by CloudWatch Logs with its own key", setting: "customerManagedKey"))
        }
    }

    public var name: Value { resource.ref("Name") }
    /// `arn:...:log-group:<name>:*`
    public var arn: Value { resource.attribute("Arn") }

    public override func validate() -> [Diagnostic] {
        if !Self.retentionPeriods.contains(retentionDays) {
            return [.construct(self, "log retention of \(retentionDays) days is not one CloudWatch Logs offers", hint: "use one of \(Self.retentionPeriods.map(String.init).joined(separator: ", "))")]
        }
        return []
    }
}
