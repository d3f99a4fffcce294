import CloudFormation
import Constructs
import Synthesis

/// DNS for one environment: the apex zones it is delegated from, each in a shared stack of the
/// network account (`shared-ApexDns` for brainfartlab.com, `shared-ApexDnsPatrickcmdDev`), the
/// environment's own zone `<env>.<apex>` and the other zones its file lists under `zones:` in its
/// account, and the NS delegation of each from its apex.
public struct DNS {
    /// The apex zones this environment delegates from, by domain (`brainfartlab.com`,
    /// `patrickcmd.dev`), each in a shared stack of the network account.
    public let apexes: [String: HostedZone]
    /// The environment's zone, `dev.brainfartlab.com`, in the environment's account.
    public let zone: HostedZone
    /// The other zones the environment owns (`zones:` in its file), by name: `api-dev.patrickcmd.dev`.
    public let zones: [String: HostedZone]

    private let app: App

    public init(in app: App) {
        self.app = app
        let organisation = app.organisation
        let environment = app.environment
        // One shared stack per apex, in the plans of the environments that delegate from it: each
        // renders the same wherever it appears (its only readers are delegations, which read the
        // zone's id). brainfartlab.com's stack and zone keep the names they had when it was the
        // only apex.
        let owned = [environment.domain] + environment.zones
        var apexes: [String: HostedZone] = [:]
        for domain in organisation.apexDomains where owned.contains(where: { organisation.apex(of: $0) == domain }) {
            let apexStack = Stack(
                in: app, domain == "brainfartlab.com" ? "ApexDns" : "ApexDns" + LogicalIds.pascalCase(domain), account: organisation.network, shared: true,
                description: "The organisation's apex hosted zone \(domain), owned by the network account.")
            apexes[domain] = HostedZone(in: apexStack, "Apex", name: domain, comment: "Apex zone; environments are delegated from here")
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
