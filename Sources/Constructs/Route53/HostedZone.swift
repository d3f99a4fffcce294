import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A public Route 53 hosted zone.
///
/// Emits `AWS::Route53::HostedZone`. Stateful: its name servers are its identity, so it is
/// retained on delete and on replacement unless `removalPolicy: .destroy` is given.
///
///     let zone = HostedZone(in: dns, "Zone", name: app.environment.domain)
///     zone.nameServers   // a list, usable from a stack in another account
public final class HostedZone: Construct {
    /// The zone's domain name, without a trailing dot.
    public let name: String
    /// The `AWS::Route53::HostedZone` resource.
    /// The `AWS::Route53::HostedZone` this construct creates, typed.
    public private(set) var resource: Route53.HostedZone!
    /// The NS record in the parent zone that delegates this zone, when a `ZoneDelegation` made one.
    /// Anything validated through DNS in this zone must wait for it.
    public internal(set) var delegationRecord: CfnResource?

    /// - Parameters:
    ///   - name: The domain, lowercase, without a trailing dot.
    ///   - comment: A comment shown in the Route 53 console; none by default.
    ///   - removalPolicy: `.retain` by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, name: String, comment: String? = nil,
        removalPolicy: RemovalPolicy = .retain, file: String = #fileID, line: Int = #line
    ) {
        self.name = name
        super.init(in: scope, id, file: file, line: line)
        resource = Route53.HostedZone(
            in: self, "Resource", hostedZoneConfig: comment.map { .init(comment: Typed($0)) }, name: Typed(name), file: file, line: line)
        removalPolicy.apply(to: resource)
    }

    /// The hosted zone id (`!Ref`).
    public var zoneId: Value { resource.ref("Id") }

    /// The zone's four name servers (`!GetAtt NameServers`), a list.
    public var nameServers: Value { resource.attribute("NameServers", list: true) }

    public override func validate() -> [Diagnostic] {
        if let problem = DomainName.problem(with: name) {
            return [.invalidZoneName(self, problem: problem)]
        }
        return []
    }

    /// Pins the logical id of the zone, to keep a zone that already exists.
    public func overrideLogicalId(_ logicalId: String) { resource.overrideLogicalId(logicalId) }
}

extension Diagnostic {
    static func invalidZoneName(_ zone: HostedZone, problem: String) -> Diagnostic {
        .construct(zone, "zone name '\(zone.name)' \(problem)", hint: "write a lowercase DNS name without a trailing dot, e.g. dev.example.com")
    }
}
