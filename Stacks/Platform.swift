import Constructs
import Synthesis

/// What every application of an environment shares: the wildcard certificate of the
/// environment's zone and the API domain `api.<env>.<domain>`, on which each application's HTTP
/// API is mounted under its own path (`/quiz`).
///
/// It is its own stack because the certificate is validated through the environment's zone,
/// which only answers once the apex zone delegates it: the plan deploys the zone, then the
/// delegation, then this stack.
public struct Platform {
    public let stack: Stack
    public let zone: HostedZone
    public let certificate: Certificate
    public let apiDomain: ApiDomainName

    public init(in app: App, zone: HostedZone) {
        let domain = app.environment.domain
        self.zone = zone
        stack = Stack(in: app, "Platform", description: "Shared platform of \(domain): wildcard certificate and the API domain api.\(domain).")
        certificate = Certificate(in: stack, "Certificate", domainName: "*.\(domain)", alternativeNames: [domain], zone: zone)
        apiDomain = ApiDomainName(in: stack, "ApiDomain", domainName: "api.\(domain)", certificate: certificate, zone: zone)
        // For tools outside Stratus (scripts, other teams' Terraform): the API domain's regional
        // endpoint, in Parameter Store, written with the typed L1 (`StringParameter` builds on the
        // same type; importing Constructs gives it, other SSM types come with `import AWSSSM`).
        SSM.Parameter(
            in: stack, "ApiDomainEndpoint", typeProperty: .string, value: .value(apiDomain.regionalDomainName),
            description: "Regional endpoint of api.\(domain) (the target of its alias records)",
            name: "/platform/\(app.environment.name)/api-domain/regional-endpoint")
    }
}
