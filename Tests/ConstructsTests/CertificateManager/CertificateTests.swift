import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct CertificateTests {
    @Test func dnsValidatedThroughTheZone() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            Certificate(in: stack, "Cert", domainName: "*.dev.example.com", alternativeNames: ["dev.example.com"], zone: zone)
        }
        #expect(Fixtures.yaml(app, "dev-Test").hasSuffix("""
              Cert:
                Type: AWS::CertificateManager::Certificate
                Properties:
                  DomainName: '*.dev.example.com'
                  SubjectAlternativeNames:
                  - dev.example.com
                  ValidationMethod: DNS
                  DomainValidationOptions:
                  - DomainName: '*.dev.example.com'
                    HostedZoneId: !Ref Zone
                  - DomainName: dev.example.com
                    HostedZoneId: !Ref Zone
                  KeyAlgorithm: RSA_2048
                  CertificateTransparencyLoggingPreference: ENABLED
                Metadata:
                  checkov:
                    skip:
                    - id: CKV2_AWS_71
                      comment: The wildcard name *.dev.example.com covers hosts of our own zone dev.example.com, validated through it; ACM keeps the private key and never exports it, so sharing one certificate exposes no key. Name each host instead to narrow it.

            """))
    }

    @Test func coversExactAndOneLevelWildcardNames() {
        let app = Fixtures.app()
        let stack = Stack(in: app, "Test")
        let certificate = Certificate(in: stack, "Cert", domainName: "*.dev.example.com", alternativeNames: ["dev.example.com"],
                                      zone: HostedZone(in: stack, "Zone", name: "dev.example.com"))
        #expect(certificate.covers("api.dev.example.com"))
        #expect(certificate.covers("dev.example.com"))
        #expect(!certificate.covers("a.b.dev.example.com"))
        #expect(!certificate.covers("example.com"))
    }

    @Test func namesOutsideTheValidatingZoneAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            Certificate(in: stack, "Cert", domainName: "api.example.org", zone: HostedZone(in: stack, "Zone", name: "dev.example.com"), line: 4000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/CertificateTests.swift:4000: error: dev/Test/Cert: certificate name 'api.example.org' is not in zone 'dev.example.com', which validates it
              hint: validate it through the zone that owns the name, or use a name ending in .dev.example.com
            """])
    }

    @Test func zoneInAnotherAccountIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let zone = HostedZone(in: Stack(in: app, "Zones", account: app.organisation.network), "Zone", name: "dev.example.com")
            Certificate(in: Stack(in: app, "Test"), "Cert", domainName: "dev.example.com", zone: zone)
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Cert: certificate is in account dev (800000000001) but its validating zone dev/Zones/Zone is in account network (900000000002)"])
    }

    @Test func certificateWaitsForTheDelegationOfItsZone() throws {
        let app = try Fixtures.synthesize { app in
            let apex = HostedZone(in: Stack(in: app, "Apex", account: app.organisation.network, shared: true), "Apex", name: "example.com")
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            ZoneDelegation(in: Stack(in: app, "Delegation", account: app.organisation.network), "Dev", parent: apex, child: zone)
            Certificate(in: Stack(in: app, "Certs"), "Cert", domainName: "dev.example.com", zone: zone)
        }
        #expect(app.stack(named: "dev-Certs")?.dependencies == ["dev-Dns", "dev-Delegation"])
    }

    @Test func certificateInTheDelegatedZonesOwnStackIsACycle() {
        let diagnostics = Fixtures.diagnostics { app in
            let apex = HostedZone(in: Stack(in: app, "Apex", account: app.organisation.network, shared: true), "Apex", name: "example.com")
            let dns = Stack(in: app, "Dns")
            let zone = HostedZone(in: dns, "Zone", name: "dev.example.com")
            ZoneDelegation(in: Stack(in: app, "Delegation", account: app.organisation.network), "Dev", parent: apex, child: zone)
            Certificate(in: dns, "Cert", domainName: "dev.example.com", zone: zone)
        }
        #expect(diagnostics.map(\.message) == [
            "stacks depend on each other in a cycle: dev-Dns -> dev-Delegation -> dev-Dns (Dns/Cert depends on Delegation/Dev/Record; Delegation/Dev/Record uses Dns/Zone.NameServers)"
        ])
    }
}
