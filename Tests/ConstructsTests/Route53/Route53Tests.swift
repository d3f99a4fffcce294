import CloudFormation
@testable import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct HostedZoneTests {
    @Test func rendersARetainedZone() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "Test stack")
            HostedZone(in: stack, "Zone", name: "dev.example.com", comment: "Dev zone")
        }
        #expect(Fixtures.yaml(app, "dev-Test") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: Test stack
            Resources:
              Zone:
                Type: AWS::Route53::HostedZone
                Properties:
                  HostedZoneConfig:
                    Comment: Dev zone
                  Name: dev.example.com
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain

            """)
    }

    @Test func destroyPolicyDeletesIt() throws {
        let app = try Fixtures.synthesize { app in
            HostedZone(in: Stack(in: app, "Test"), "Zone", name: "dev.example.com", removalPolicy: .destroy)
        }
        #expect(app.stack(named: "dev-Test")?.template.resource("Zone")?.deletionPolicy == .delete)
    }

    @Test func invalidNameIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            HostedZone(in: Stack(in: app, "Test"), "Zone", name: "Dev.example.com")
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Zone: zone name 'Dev.example.com' must be lowercase"])
        #expect(diagnostics.first?.location?.file == "ConstructsTests/Route53Tests.swift")
    }
}

@Suite struct RecordSetTests {
    @Test func rendersValueAliasAndTXTRecords() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            RecordSet(in: stack, "Www", zone: zone, name: "www.dev.example.com", type: .cname, target: .values(["example.github.io"]), ttl: 60)
            RecordSet(in: stack, "Apex", zone: zone, name: "dev.example.com", type: .a,
                      target: .alias(dnsName: "d111.cloudfront.net", hostedZoneId: "Z2FDTNDATAQYW2"))
            RecordSet(in: stack, "Spf", zone: zone, name: "dev.example.com", type: .txt, target: .values(["v=spf1 -all"]))
        }
        #expect(Fixtures.yaml(app, "dev-Test").hasSuffix("""
              Www:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: www.dev.example.com
                  Type: CNAME
                  TTL: '60'
                  ResourceRecords:
                  - example.github.io
              Apex:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: dev.example.com
                  Type: A
                  AliasTarget:
                    DNSName: d111.cloudfront.net
                    HostedZoneId: Z2FDTNDATAQYW2
                    EvaluateTargetHealth: false
              Spf:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: dev.example.com
                  Type: TXT
                  TTL: '300'
                  ResourceRecords:
                  - '"v=spf1 -all"'

            """))
    }

    @Test func longTXTValuesAreSplitInto255CharacterStrings() {
        let value = RecordSet.quotedTXT(.string(String(repeating: "a", count: 300)))
        #expect(value == .string("\"\(String(repeating: "a", count: 255))\" \"\(String(repeating: "a", count: 45))\""))
        #expect(RecordSet.quotedTXT("\"already quoted\"") == "\"already quoted\"")
    }

    @Test(arguments: [
        ("www.other.com", RecordType.cname, ["x.example.org"], 300,
         "dev/Test/Rec: record name 'www.other.com' is not in zone 'dev.example.com'"),
        ("www.dev.example.com", .cname, ["a.example.org", "b.example.org"], 300,
         "dev/Test/Rec: CNAME record must have exactly one value, not 2"),
        ("dev.example.com", .cname, ["a.example.org"], 300,
         "dev/Test/Rec: a CNAME record cannot be at the zone apex 'dev.example.com'"),
        ("www.dev.example.com", .txt, [], 300,
         "dev/Test/Rec: TXT record needs at least one value"),
        ("www.dev.example.com", .a, ["192.0.2.1"], -5,
         "dev/Test/Rec: TTL -5 is outside 0...2147483647 seconds"),
        ("Www.dev.example.com", .a, ["192.0.2.1"], 300,
         "dev/Test/Rec: record name 'Www.dev.example.com' must be lowercase"),
    ])
    func invalidRecords(_ name: String, _ type: RecordType, _ values: [String], _ ttl: Int, _ message: String) {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            RecordSet(in: stack, "Rec", zone: zone, name: name, type: type, target: .values(values.map(Value.string)), ttl: ttl)
        }
        #expect(diagnostics.map(\.message) == [message])
    }

    @Test func aliasMustBeAOrAAAA() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            RecordSet(in: stack, "Rec", zone: zone, name: "x.dev.example.com", type: .txt, target: .alias(dnsName: "a", hostedZoneId: "b"))
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Rec: alias records must be A or AAAA, not TXT"])
    }

    @Test func recordInAnotherAccountThanItsZoneIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let zone = HostedZone(in: Stack(in: app, "Zones"), "Zone", name: "dev.example.com")
            let other = Stack(in: app, "Records", account: app.organisation.network)
            RecordSet(in: other, "Rec", zone: zone, name: "www.dev.example.com", type: .cname, target: .values(["x.example.org"]), line: 2000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/Route53Tests.swift:2000: error: dev/Records/Rec: record is in account network (900000000002) but zone dev/Zones/Zone is in account dev (800000000001)
              hint: create the record in a stack of the zone's account; values from other accounts reach it through the plan
            """])
    }
}

@Suite struct ZoneDelegationTests {
    @Test func delegatesAcrossAccountsThroughThePlan() throws {
        let app = try Fixtures.synthesize { app in
            let apex = HostedZone(in: Stack(in: app, "Apex", account: app.organisation.network, shared: true), "Apex", name: "example.com")
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            ZoneDelegation(in: Stack(in: app, "Delegation", account: app.organisation.network), "Dev", parent: apex, child: zone, ttl: 3600)
        }
        #expect(app.stacks.map(\.stackName) == ["shared-Apex", "dev-Dns", "dev-Delegation"])
        #expect(Fixtures.yaml(app, "dev-Delegation").hasSuffix("""
            Resources:
              DevRecord:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref ApexApexId
                  Name: dev.example.com
                  Type: NS
                  TTL: '3600'
                  ResourceRecords: !Ref DnsZoneNameServers

            """))
        #expect(app.delegations == [Delegation(
            parentZone: "example.com", parentAccount: Fixtures.organisation.network, childZone: "dev.example.com",
            childAccount: Fixtures.environment().account, recordStack: "dev-Delegation", childStack: "dev-Dns",
            construct: "dev/Delegation/Dev")])
    }

    @Test func childMustBeBelowParent() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Dns")
            let apex = HostedZone(in: stack, "Apex", name: "example.com")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.org")
            ZoneDelegation(in: stack, "Dev", parent: apex, child: zone)
        }
        #expect(diagnostics.map(\.message).contains("dev/Dns/Dev: zone 'dev.example.org' is not below zone 'example.com'"))
    }
}
