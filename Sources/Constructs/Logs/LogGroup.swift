import AWSLogs
import CloudFormation
import L1Core
import Synthesis

/// A CloudWatch Logs log group with a retention period.
///
/// Emits `AWS::Logs::LogGroup` with a generated name. Stateful (it holds logs): retained on
/// delete unless `removalPolicy: .destroy`. Encrypted at rest by CloudWatch Logs.
///
///     let logs = LogGroup(in: api, "AccessLogs", retentionDays: 90)
public final class LogGroup: Construct {
    /// The retention periods CloudWatch Logs accepts, in days.
    public static let retentionPeriods = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

    public let retentionDays: Int
    /// The `AWS::Logs::LogGroup` this construct creates, typed.
    public private(set) var resource: Logs.LogGroup!

    /// - Parameter retentionDays: How long events are kept: 30 days by default.
    public init(
        in scope: Construct, _ id: String, retentionDays: Int = 30, removalPolicy: RemovalPolicy = .retain,
        file: String = #fileID, line: Int = #line
    ) {
        self.retentionDays = retentionDays
        super.init(in: scope, id, file: file, line: line)
        resource = Logs.LogGroup(in: self, "Resource", retentionInDays: Typed(retentionDays), file: file, line: line)
        removalPolicy.apply(to: resource)
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
