import CloudFormation
import Constructs
import Synthesis

/// DNS for one environment: every apex zone in the network account (shared by every
/// environment), the environment's own zone `<env>.<apex>` and the other zones its file lists
/// under `zones:` in its account, and the NS delegation of each from its apex.
public struct DNS {
    /// The apex zones, by domain (`brainfartlab.com`, `patrickcmd.dev`), in the network account.
    public let apexes: [String: HostedZone]
    /// The environment's zone, `dev.brainfartlab.com`, in the environment's account.
    public let zone: HostedZone
    /// The other zones the environment owns (`zones:` in its file), by name: `api-dev.patrickcmd.dev`.
    public let zones: [String: HostedZone]

    /// The apex zone of the environment's own domain.
    public var apex: HostedZone { apexes[app.organisation.apex(of: zone.name) ?? app.organisation.domain]! }
    private let app: App

    public init(in app: App) {
        self.app = app
        let organisation = app.organisation
        let environment = app.environment
        let apexStack = Stack(
            in: app, "ApexDns", account: organisation.network, shared: true,
            description: organisation.apexDomains.count == 1
                ? "The organisation's apex hosted zone \(organisation.domain), owned by the network account."
                : "The organisation's apex hosted zones \(organisation.apexDomains.joined(separator: ", ")), owned by the network account.")
        var apexes: [String: HostedZone] = [:]
        for domain in organisation.apexDomains {
            let apex = HostedZone(
                in: apexStack, "Apex" + LogicalIds.pascalCase(domain), name: domain, comment: "Apex zone; environments are delegated from here")
            // brainfartlab.com was the only apex before there were several: keep its zone.
            if domain == "brainfartlab.com" { apex.overrideLogicalId("Apex") }
            apexes[domain] = apex
        }
        self.apexes = apexes

        let zoneStack = Stack(
            in: app, "Dns",
            description: environment.zones.isEmpty
                ? "The \(environment.name) environment's hosted zone \(environment.domain)."
                : "The \(environment.name) environment's hosted zones \(([environment.domain] + environment.zones).joined(separator: ", ")).")
        zone = HostedZone(in: zoneStack, "Zone", name: environment.domain)
        var zones: [String: HostedZone] = [:]
        for name in environment.zones {
            zones[name] = HostedZone(in: zoneStack, "Zone" + LogicalIds.pascalCase(name), name: name)
        }
        self.zones = zones

        let delegationStack = Stack(
            in: app, "Delegation", account: organisation.network,
            description: "Delegates \(([environment.domain] + environment.zones).joined(separator: ", ")) from the apex zone\(environment.zones.isEmpty ? "" : "s") to the \(environment.name) account's name servers.")
        // The catalog has checked that every owned name lies under a declared apex.
        for (index, child) in ([zone] + environment.zones.compactMap { zones[$0] }).enumerated() {
            guard let apex = organisation.apex(of: child.name).flatMap({ apexes[$0] }) else { continue }
            ZoneDelegation(
                in: delegationStack, index == 0 ? LogicalIds.pascalCase(environment.name) : LogicalIds.pascalCase(child.name),
                parent: apex, child: child)
        }
    }

    /// The zone `name` that the environment owns (its domain or one of its `zones:`), or nil
    /// after reporting, at the caller's line, that the environment file does not list it.
    public func zone(named name: String, file: String = #fileID, line: Int = #line) -> HostedZone? {
        if name == zone.name { return zone }
        if let owned = zones[name] { return owned }
        app.report(Diagnostic(
            "\(app.environment.name): zone '\(name)' is not one the environment owns", at: SourceLocation(file: file, line: line),
            hint: "list it under zones: in \(app.environment.file); it is then created in the Dns stack and delegated from its apex zone"))
        return nil
    }
}
