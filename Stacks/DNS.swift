import Constructs
import Synthesis

/// DNS for one environment: the apex zone in the network account (shared by every environment),
/// the environment's own zone `<env>.<domain>` in its account, and the NS delegation between them.
public struct DNS {
    /// The apex zone, `brainfartlab.com`, in the network account.
    public let apex: HostedZone
    /// The environment's zone, `dev.brainfartlab.com`, in the environment's account.
    public let zone: HostedZone

    public init(in app: App) {
        let organisation = app.organisation
        let apexStack = Stack(
            in: app, "ApexDns", account: organisation.network, shared: true,
            description: "The organisation's apex hosted zone \(organisation.domain), owned by the network account.")
        apex = HostedZone(in: apexStack, "Apex", name: organisation.domain, comment: "Apex zone; environments are delegated from here")

        let zoneStack = Stack(
            in: app, "Dns",
            description: "The \(app.environment.name) environment's hosted zone \(app.environment.domain).")
        zone = HostedZone(in: zoneStack, "Zone", name: app.environment.domain)

        let delegationStack = Stack(
            in: app, "Delegation", account: organisation.network,
            description: "Delegates \(app.environment.domain) from the apex zone to the \(app.environment.name) account's name servers.")
        ZoneDelegation(in: delegationStack, LogicalIds.pascalCase(app.environment.name), parent: apex, child: zone)
    }
}
