import CloudFormation
import Synthesis

/// An ACM certificate validated through DNS in one of our hosted zones.
///
/// Emits `AWS::CertificateManager::Certificate` with `DomainValidationOptions` naming the zone, so
/// CloudFormation writes the validation records itself. The certificate must be in the zone's
/// account. A certificate lives in its stack's region: API Gateway regional domains need one in
/// their own region, CloudFront needs one in us-east-1.
///
/// When the zone is delegated from a parent zone by a `ZoneDelegation`, validation can only
/// succeed once the parent's NS record exists: the certificate then waits for that record (its
/// stack deploys after the delegation's), and a layout where that is impossible (the certificate
/// in the zone's own stack, say) is reported as a cycle.
///
///     let certificate = Certificate(in: platform, "Certificate", domainName: "*.dev.example.com",
///                                   alternativeNames: ["dev.example.com"], zone: zone)
public final class Certificate: Construct {
    public let domainName: String
    public let alternativeNames: [String]
    public let zone: HostedZone
    public private(set) var resource: CfnResource!

    /// - Parameters:
    ///   - domainName: The main name; `*.` allowed as first label.
    ///   - alternativeNames: More names covered; none by default.
    ///   - zone: The zone every name lies in, in the certificate's account.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, domainName: String, alternativeNames: [String] = [], zone: HostedZone,
        file: String = #fileID, line: Int = #line
    ) {
        self.domainName = domainName
        self.alternativeNames = alternativeNames
        self.zone = zone
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = ["DomainName": .string(domainName)]
        if !alternativeNames.isEmpty { properties["SubjectAlternativeNames"] = .list(alternativeNames.map(Value.string)) }
        properties["ValidationMethod"] = "DNS"
        properties["DomainValidationOptions"] = .list(names.map { name in
            ["DomainName": .string(name), "HostedZoneId": zone.zoneId]
        })
        properties["KeyAlgorithm"] = "RSA_2048"
        properties["CertificateTransparencyLoggingPreference"] = "ENABLED"
        resource = CfnResource(in: self, type: "AWS::CertificateManager::Certificate", properties: properties, file: file, line: line)
        if let wildcard = names.first(where: { $0.hasPrefix("*.") }) {
            resource.justify("CKV2_AWS_71", because: "The wildcard name \(wildcard) covers hosts of our own zone \(zone.name), validated through it; ACM keeps the private key and never exports it, so sharing one certificate exposes no key. Name each host instead to narrow it.")
        }
        if let delegation = zone.delegationRecord { resource.dependsOn.append(delegation) }
    }

    /// The certificate ARN (`!Ref`).
    public var arn: Value { resource.ref("Arn") }

    /// Every name on the certificate.
    public var names: [String] { [domainName] + alternativeNames }

    /// The region the certificate is issued in (its stack's).
    public var region: String? { stack?.region }

    /// True when `host` is one of the names, or matches a wildcard name by exactly one label.
    public func covers(_ host: String) -> Bool {
        names.contains { name in
            if name == host { return true }
            guard name.hasPrefix("*.") else { return false }
            let suffix = String(name.dropFirst(1))
            guard host.hasSuffix(suffix) else { return false }
            let label = host.dropLast(suffix.count)
            return !label.isEmpty && !label.contains(".")
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for name in names {
            if let problem = DomainName.problem(with: name, allowWildcard: true) {
                problems.append(.construct(self, "certificate name '\(name)' \(problem)", hint: "write a lowercase DNS name, e.g. *.\(zone.name)"))
            } else if !DomainName.isWithin(name.hasPrefix("*.") ? String(name.dropFirst(2)) : name, zone: zone.name) {
                problems.append(.construct(
                    self, "certificate name '\(name)' is not in zone '\(zone.name)', which validates it",
                    hint: "validate it through the zone that owns the name, or use a name ending in .\(zone.name)"))
            }
        }
        if let stack, let zoneStack = zone.stack, stack.account.id != zoneStack.account.id {
            problems.append(.construct(
                self, "certificate is in account \(stack.account) but its validating zone \(zone.path) is in account \(zoneStack.account)",
                hint: "CloudFormation writes validation records only into a zone of the certificate's own account"))
        }
        if names.count > 100 {
            problems.append(.construct(self, "\(names.count) names; ACM allows 100 per certificate", hint: "use a wildcard name"))
        }
        return problems
    }
}
