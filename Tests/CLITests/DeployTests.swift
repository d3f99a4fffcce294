import Foundation
import Synthesis
import TestSupport
import Testing

/// `synth deploy` against a local moto_server, one account per credentials profile.
///
/// What it proves: the plan's steps run in order with the real aws CLI; each stack lands in its
/// own account (moto keeps accounts apart); the NS record for dev.brainfartlab.com is created in
/// the network account's apex zone, with the name servers of the dev account's zone, carried by
/// the plan from one account to the other. What it cannot prove: moto gives every zone the same
/// four name servers, so equal values alone do not show where they came from (the control checks
/// below show which account holds which zone and record instead); moto drops Outputs of change-set
/// deploys, so the values come through synth deploy's fallback (describe-stack-resource, then
/// route53 get-hosted-zone), not through describe-stacks Outputs as on AWS; resource types moto
/// only accepts (ACM, API Gateway v2, CloudFront, Cognito, StackSets) are not deployed here.
@Suite(.serialized) struct DeployTests {
    private let synth = Repository.synthExecutable

    @Test func dryRunPrintsTheExactCommands() throws {
        let repo = try workspace()
        let result = try Command.run(synth, ["deploy", "dev", "--dry-run", "--only", "dev-Dns,dev-Delegation"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            aws cloudformation deploy --template-file \(repo.url.path)/out/dev/dev-Dns.template.yaml --stack-name dev-Dns --no-fail-on-empty-changeset --region eu-west-1 --profile dev
            aws cloudformation deploy --template-file \(repo.url.path)/out/dev/dev-Delegation.template.yaml --stack-name dev-Delegation --no-fail-on-empty-changeset --parameter-overrides 'ApexDnsApexId=<shared-ApexDns.ApexId>' 'ApexDnsPatrickcmdDevApexId=<shared-ApexDnsPatrickcmdDev.ApexId>' 'DnsZoneApiDevPatrickcmdDevNameServers=<dev-Dns.ZoneApiDevPatrickcmdDevNameServers>' 'DnsZoneNameServers=<dev-Dns.ZoneNameServers>' --region eu-west-1 --profile network

            """)
    }

    @Test func staleOutIsRefused() throws {
        let repo = try workspace()
        try repo.write("out/dev/dev-Dns.template.yaml", "edited by hand\n")
        let result = try Command.run(synth, ["deploy", "dev", "--dry-run"], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("out/dev/: error: out/dev is not what the code produces (dev-Dns.template.yaml)\n  hint: run swift run synth dev, review the change, then deploy"))
    }

    @Test func delegatesDevFromTheNetworkAccountOnMoto() throws {
        guard let moto = try MotoServer(profiles: [("network", "100000000002"), ("dev", "200000000002")]) else {
            Issue.record("moto_server and the aws CLI are needed: pip install 'moto[server]' awscli (.ci/run does)")
            return
        }
        let endpoint = moto.endpoint
        let environment = moto.environment
        let scratch = moto.scratch
        let aws = moto.aws

        let repo = try workspace()
        let deploy = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", endpoint, "--only", "shared-ApexDns,shared-ApexDnsPatrickcmdDev,dev-Dns,dev-Delegation"], in: repo.url, environment: environment)
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(deploy.stdout.contains("[dev-Delegation] deployed in "))
        #expect(deploy.stdout.contains("deployed dev in "))
        #expect(deploy.stdout.contains(": 4 steps done, 0 unchanged"))

        func awsJSON(_ arguments: [String], profile: String) throws -> [String: Any] {
            let result = try Command.run(aws, arguments + ["--profile", profile, "--endpoint-url", endpoint, "--output", "json"], in: scratch.url, environment: environment)
            return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        }
        func zones(_ profile: String) throws -> [String: String] {
            let listed = try awsJSON(["route53", "list-hosted-zones"], profile: profile)["HostedZones"] as? [[String: Any]] ?? []
            return Dictionary(uniqueKeysWithValues: listed.map { (($0["Name"] as! String).trimmingCharacters(in: CharacterSet(charactersIn: ".")), $0["Id"] as! String) })
        }
        func normalized(_ names: [String]) -> Set<String> { Set(names.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }) }

        // Control: each zone exists in its own account only.
        let networkZones = try zones("network")
        let devZones = try zones("dev")
        #expect(Set(networkZones.keys) == ["brainfartlab.com", "patrickcmd.dev"])
        #expect(Set(devZones.keys) == ["dev.brainfartlab.com", "api-dev.patrickcmd.dev"])

        // The second apex delegates api-dev.patrickcmd.dev to the dev account's zone of that name.
        let resumeRecords = try awsJSON(["route53", "list-resource-record-sets", "--hosted-zone-id", try #require(networkZones["patrickcmd.dev"])], profile: "network")["ResourceRecordSets"] as? [[String: Any]] ?? []
        let resumeDelegation = try #require(resumeRecords.first { ($0["Name"] as? String).map { normalized([$0]) } == ["api-dev.patrickcmd.dev"] && $0["Type"] as? String == "NS" })
        let resumeServers = (try awsJSON(["route53", "get-hosted-zone", "--id", try #require(devZones["api-dev.patrickcmd.dev"])], profile: "dev")["DelegationSet"] as? [String: Any])?["NameServers"] as? [String] ?? []
        #expect(!resumeServers.isEmpty)
        #expect(normalized((resumeDelegation["ResourceRecords"] as? [[String: Any]] ?? []).compactMap { $0["Value"] as? String }) == normalized(resumeServers))

        // The NS record in the network account's apex zone holds the dev zone's name servers.
        let records = try awsJSON(["route53", "list-resource-record-sets", "--hosted-zone-id", try #require(networkZones["brainfartlab.com"])], profile: "network")["ResourceRecordSets"] as? [[String: Any]] ?? []
        let delegation = try #require(records.first { ($0["Name"] as? String).map { normalized([$0]) } == ["dev.brainfartlab.com"] && $0["Type"] as? String == "NS" })
        let recorded = (delegation["ResourceRecords"] as? [[String: Any]] ?? []).compactMap { $0["Value"] as? String }
        let devZone = try awsJSON(["route53", "get-hosted-zone", "--id", try #require(devZones["dev.brainfartlab.com"])], profile: "dev")
        let servers = (devZone["DelegationSet"] as? [String: Any])?["NameServers"] as? [String] ?? []
        #expect(!servers.isEmpty)
        #expect(normalized(recorded) == normalized(servers))
        #expect(delegation["TTL"] as? Int == 172_800)

        // Control: the delegation stack is in the network account, not in dev.
        #expect(try Command.run(aws, ["cloudformation", "describe-stacks", "--stack-name", "dev-Delegation", "--profile", "network", "--endpoint-url", endpoint], in: scratch.url, environment: environment).status == 0)
        #expect(try Command.run(aws, ["cloudformation", "describe-stacks", "--stack-name", "dev-Delegation", "--profile", "dev", "--endpoint-url", endpoint], in: scratch.url, environment: environment).status != 0)

        // A failing step stops the plan and says what completed: there is no cicd profile.
        let failing = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", endpoint, "--only", "dev-Dns,dev-WeatherDelivery", "--concurrency", "1"], in: repo.url, environment: environment)
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("[dev-Dns] unchanged, skipped\n"))
        #expect(failing.stderr.contains("error: step dev-WeatherDelivery failed: aws cloudformation describe-stacks exited 255: The config profile (cicd) could not be found"), "\(failing.stderr)")
        #expect(failing.stderr.contains("  completed: none\n  unchanged: dev-Dns\n  failed: dev-WeatherDelivery\n  not run: none\n"))
    }

    private func workspace() throws -> TemporaryDirectory { try Repository.copy() }
}
