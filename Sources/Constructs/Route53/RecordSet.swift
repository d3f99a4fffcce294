import CloudFormation
import Synthesis

/// The DNS record types Stratus writes.
public enum RecordType: String, Sendable {
    case a = "A"
    case aaaa = "AAAA"
    case cname = "CNAME"
    case ns = "NS"
    case txt = "TXT"
    case mx = "MX"
}

/// What a record answers with.
public enum RecordTarget {
    /// Literal values or single-valued references. TXT values are quoted and split into
    /// 255-character strings for you.
    case values([Value])
    /// A list-valued reference, such as another zone's `nameServers`.
    case list(Value)
    /// A Route 53 alias to an AWS endpoint (CloudFront, API Gateway, a load balancer): A and AAAA only.
    case alias(dnsName: Value, hostedZoneId: Value, evaluateTargetHealth: Bool = false)
}

/// One record set in a hosted zone.
///
/// Emits `AWS::Route53::RecordSet`, in the zone's account: the record's stack must deploy to the
/// same account as the zone (Route 53 records cannot be written into another account's zone).
/// Not stateful; deleted with its stack.
///
///     RecordSet(in: dns, "Www", zone: zone, name: "www.dev.example.com", type: .cname,
///               target: .values(["example.github.io"]))
public final class RecordSet: Construct {
    public let zone: HostedZone
    public let name: String
    public let type: RecordType
    public let target: RecordTarget
    public let ttl: Int
    /// The `AWS::Route53::RecordSet` resource.
    public private(set) var resource: CfnResource!

    /// - Parameters:
    ///   - zone: The zone to write into; the record's stack must be in the zone's account.
    ///   - name: The full record name, in the zone (`api.dev.example.com`); `*.` allowed first.
    ///   - ttl: Seconds resolvers may cache the answer: 300 by default. Aliases have no TTL.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, zone: HostedZone, name: String, type: RecordType,
        target: RecordTarget, ttl: Int = 300, file: String = #fileID, line: Int = #line
    ) {
        self.zone = zone
        self.name = name
        self.type = type
        self.target = target
        self.ttl = ttl
        super.init(in: scope, id, file: file, line: line)
        var properties = Object()
        properties["HostedZoneId"] = zone.zoneId
        properties["Name"] = .string(name)
        properties["Type"] = .string(type.rawValue)
        switch target {
        case .values(let values):
            properties["TTL"] = .string(String(ttl))
            properties["ResourceRecords"] = .list(type == .txt ? values.map(Self.quotedTXT) : values)
        case .list(let list):
            properties["TTL"] = .string(String(ttl))
            properties["ResourceRecords"] = list
        case .alias(let dnsName, let hostedZoneId, let evaluate):
            properties["AliasTarget"] = .object([
                "DNSName": dnsName, "HostedZoneId": hostedZoneId, "EvaluateTargetHealth": .bool(evaluate),
            ])
        }
        resource = CfnResource(in: self, type: "AWS::Route53::RecordSet", properties: properties, file: file, line: line)
    }

    /// TXT strings are quoted, and split into quoted strings of at most 255 characters.
    static func quotedTXT(_ value: Value) -> Value {
        guard case .string(let text) = value, !text.hasPrefix("\"") else { return value }
        var chunks: [String] = []
        var rest = Substring(text)
        repeat {
            chunks.append("\"\(String(rest.prefix(255)).replacingBytes(of: "\"", with: "\\\""))\"")
            rest = rest.dropFirst(255)
        } while !rest.isEmpty
        return .string(chunks.joined(separator: " "))
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let problem = DomainName.problem(with: name, allowWildcard: true) {
            problems.append(.construct(self, "record name '\(name)' \(problem)", hint: "write the full name, e.g. api.\(zone.name)"))
        } else if !DomainName.isWithin(name, zone: zone.name) {
            problems.append(.construct(self, "record name '\(name)' is not in zone '\(zone.name)'", hint: "write a name that ends in .\(zone.name)"))
        }
        if let recordAccount = stack?.account, let zoneAccount = zone.stack?.account, recordAccount.id != zoneAccount.id {
            problems.append(.construct(
                self, "record is in account \(recordAccount) but zone \(zone.path) is in account \(zoneAccount)",
                hint: "create the record in a stack of the zone's account; values from other accounts reach it through the plan"))
        }
        switch target {
        case .values(let values):
            if values.isEmpty { problems.append(.construct(self, "\(type.rawValue) record needs at least one value", hint: "pass .values([...])")) }
            if type == .cname && values.count != 1 {
                problems.append(.construct(self, "CNAME record must have exactly one value, not \(values.count)", hint: "point it at one name"))
            }
        case .list: break
        case .alias:
            if type != .a && type != .aaaa {
                problems.append(.construct(self, "alias records must be A or AAAA, not \(type.rawValue)", hint: "use type: .a (and another record with .aaaa for IPv6)"))
            }
        }
        if type == .cname && name == zone.name {
            problems.append(.construct(self, "a CNAME record cannot be at the zone apex '\(name)'", hint: "use an alias A record at the apex"))
        }
        if !(0...2_147_483_647).contains(ttl) {
            problems.append(.construct(self, "TTL \(ttl) is outside 0...2147483647 seconds", hint: "300 is a common choice"))
        }
        return problems
    }
}
