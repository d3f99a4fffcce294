import CloudFormation
import Synthesis

/// Delegates a child zone to its own name servers from its parent zone, across accounts.
///
/// Emits one `AWS::Route53::RecordSet` of type NS in the parent zone. Create it in a stack of
/// the parent zone's account; the child zone usually lives in another account. The record's
/// values are the child zone's real name servers: they leave the child's stack as an Output and
/// enter this stack as a CommaDelimitedList Parameter that the deploy plan fills in, so the
/// child's stack deploys first and nobody pastes name servers by hand. The delegation is listed
/// in the review section of the plan.
///
///     let delegation = Stack(in: app, "Delegation", account: app.organisation.network)
///     ZoneDelegation(in: delegation, "Dev", parent: apex, child: devZone)
public final class ZoneDelegation: Construct {
    /// The zone that holds the NS record.
    public let parentZone: HostedZone
    /// The zone being delegated.
    public let childZone: HostedZone
    public private(set) var record: RecordSet!

    /// - Parameter ttl: Seconds resolvers cache the delegation: two days (172800) by default, as
    ///   NS records rarely change.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, parent: HostedZone, child: HostedZone, ttl: Int = 172_800,
        file: String = #fileID, line: Int = #line
    ) {
        self.parentZone = parent
        self.childZone = child
        super.init(in: scope, id, file: file, line: line)
        record = RecordSet(
            in: self, "Record", zone: parent, name: child.name, type: .ns, target: .list(child.nameServers),
            ttl: ttl, file: file, line: line)
        child.delegationRecord = record.resource
        if let recordStack = stack, let childStack = child.stack, let parentStack = parent.stack {
            app.record(.delegation(Delegation(
                parentZone: parent.name, parentAccount: parentStack.account, childZone: child.name,
                childAccount: childStack.account, recordStack: recordStack.stackName,
                childStack: childStack.stackName, construct: path)))
        }
    }

    public override func validate() -> [Diagnostic] {
        if childZone.name == parentZone.name || !DomainName.isWithin(childZone.name, zone: parentZone.name) {
            return [.construct(self, "zone '\(childZone.name)' is not below zone '\(parentZone.name)'", hint: "a zone can only delegate its own subdomains")]
        }
        return []
    }
}
