import Foundation
import Plan
import Synthesis
import TestSupport
import Testing

/// Parallel waves, resume, previews and hotswap against moto_server.
///
/// What moto cannot prove: it never rolls out StackSets (the bootstrap step is left out with
/// --only, and the asset buckets are made by hand, as the StackSet would), it builds no CodeBuild
/// project (so dev-Delivery is a stack that really fails here), it never rolls back (no
/// ROLLBACK_COMPLETE: see DeployScriptedTests), and its change sets show additions only for new
/// stacks.
@Suite(.serialized) struct DeployWavesTests {
    private let synth = Repository.synthExecutable

    /// The lines `  <label>: a, b` of a failure summary, as step ids.
    private func listed(_ label: String, in text: String) -> [String] {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("  \(label): ") }) else { return [] }
        let value = line.dropFirst("  \(label): ".count)
        return value == "none" ? [] : value.components(separatedBy: ", ")
    }

    @Test func parallelStepsFailureAndResumeOnMoto() throws {
        guard let moto = try MotoServer(profiles: [("network", "100000000002"), ("dev", "200000000002"), ("cicd", "100000000003"), ("management", "100000000001")]) else {
            Issue.record("moto_server and the aws CLI are needed: pip install 'moto[server]' awscli (.ci/run does)")
            return
        }
        let repo = try Repository.copy()
        let selected = ["shared-ApexDns", "shared-ApexDnsPatrickcmdDev", "dev-Dns", "dev-Delegation", "dev-WeatherDelivery", "dev-Delivery", "assets-dev-eu-west-1"]
        let first = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", moto.endpoint, "--only", selected.joined(separator: ","), "--concurrency", "4"],
            in: repo.url, environment: moto.environment)
        #expect(first.status == 1)
        // The asset bucket does not exist (no StackSet rolled it out) and moto cannot build a CodeBuild project.
        let failed = listed("failed", in: first.stderr)
        #expect(failed.contains("assets-dev-eu-west-1"), "\(first.stderr)")
        #expect(first.stderr.contains("error: step assets-dev-eu-west-1 failed: aws s3 cp exited 1"))
        if failed.contains("dev-Delivery") { #expect(first.stderr.contains("  stack status: ")) }
        // Every step is accounted for once: the failed one under failed, never under not run.
        let accounted = listed("completed", in: first.stderr) + listed("unchanged", in: first.stderr) + failed + listed("not run", in: first.stderr)
        #expect(accounted.sorted() == selected.sorted(), "\(first.stderr)")
        #expect(!listed("not run", in: first.stderr).contains("assets-dev-eu-west-1"))
        // Independent steps ran at once: shared-ApexDns and dev-Dns both started before either finished.
        let lines = first.stdout.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.hasPrefix("[") }, "\(first.stdout)")
        let firstFinish = lines.firstIndex { !$0.hasSuffix(")") || !$0.contains("] started (") } ?? lines.count
        let startedTogether = lines[..<firstFinish].filter { $0.contains("] started (") }
        #expect(startedTogether.count >= 3, "\(first.stdout)")

        // Resume: the bucket exists now; the steps done before are skipped, the failed one runs.
        try moto.run(["s3", "mb", "s3://stratus-assets-200000000002-eu-west-1"], profile: "dev")
        let again = selected.filter { $0 != "dev-Delivery" }
        let second = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", moto.endpoint, "--only", again.joined(separator: ",")], in: repo.url, environment: moto.environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        for step in listed("completed", in: first.stderr) {
            #expect(second.stdout.contains("[\(step)] unchanged, skipped\n"), "\(step): \(second.stdout)")
        }
        let plan = try JSONDecoder().decode(DeployPlan.self, from: Data((repo.read("out/dev/plan.json") ?? "").utf8))
        let archives = plan.steps.first { $0.id == "assets-dev-eu-west-1" }?.uploads?.count ?? 0
        #expect(archives > 0)
        #expect(second.stdout.contains("[assets-dev-eu-west-1] uploaded \(archives) archive\(archives == 1 ? "" : "s") in "), "\(second.stdout)")
        let third = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", moto.endpoint, "--only", again.joined(separator: ",")], in: repo.url, environment: moto.environment)
        #expect(third.stdout.contains("\(again.count) unchanged\n"), "\(third.stdout)")

        // What is deployed now, through the offline diff's classification: what never deployed is added.
        let deployed = try Command.run(synth, ["diff", "dev", "--deployed", "--endpoint-url", moto.endpoint], in: repo.url, environment: moto.environment)
        #expect(deployed.status == 0, "\(deployed.stderr)")
        #expect(deployed.stdout.contains("Stack dev-Platform (added)"), "\(deployed.stdout)")
        #expect(!deployed.stdout.contains("Stack dev-Dns "))
        #expect(!deployed.stdout.contains("Stack dev-Delegation "))

        // Preview: an unchanged stack, a stack whose input does not exist yet.
        let preview = try Command.run(
            synth, ["deploy", "dev", "--endpoint-url", moto.endpoint, "--preview", "--only", "dev-Dns,dev-Quiz"], in: repo.url, environment: moto.environment)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("[dev-Dns] no changes\n"), "\(preview.stdout)")
        #expect(preview.stdout.contains("[dev-Quiz] cannot preview: "))
        #expect(preview.stdout.contains("it needs dev-Platform.ApiDomainName, which does not exist until dev-Platform is deployed"))
    }

    @Test func previewAndHotswapOnMoto() throws {
        guard let moto = try MotoServer(profiles: [("hdoc-dev", "300000000001")]) else {
            Issue.record("moto_server and the aws CLI are needed: pip install 'moto[server]' awscli (.ci/run does)")
            return
        }
        let repo = try Repository.copy()
        let steps = "assets-hdoc-dev-us-east-1,hdoc-dev-Backend"
        // A preview of a new stack: CloudFormation's change set, then nothing left behind.
        let preview = try Command.run(
            synth, ["deploy", "hdoc-dev", "--endpoint-url", moto.endpoint, "--preview", "--only", "hdoc-dev-Backend"], in: repo.url, environment: moto.environment)
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("[hdoc-dev-Backend] new stack hdoc-dev-Backend: "), "\(preview.stdout)")
        #expect(preview.stdout.contains("[hdoc-dev-Backend]   Add GetUsers (AWS::Lambda::Function)"))
        let stacks = try moto.json(["cloudformation", "list-stacks", "--region", "us-east-1"], profile: "hdoc-dev")["StackSummaries"] as? [[String: Any]] ?? []
        #expect(stacks.allSatisfy { $0["StackStatus"] as? String == "DELETE_COMPLETE" }, "\(stacks)")

        try moto.run(["s3", "mb", "s3://stratus-assets-300000000001-us-east-1", "--region", "us-east-1"], profile: "hdoc-dev")
        let deploy = try Command.run(synth, ["deploy", "hdoc-dev", "--endpoint-url", moto.endpoint, "--only", steps], in: repo.url, environment: moto.environment)
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")

        // Change one function's code, synthesize, and hotswap.
        try repo.write("Stacks/Functions/hdoc/get_users/get_users.py", (repo.read("Stacks/Functions/hdoc/get_users/get_users.py") ?? "") + "\n# hotswapped\n")
        #expect(try Command.run(synth, ["hdoc-dev"], in: repo.url).status == 0)
        let hotswap = try Command.run(
            synth, ["deploy", "hdoc-dev", "--endpoint-url", moto.endpoint, "--hotswap", "--only", steps], in: repo.url, environment: moto.environment)
        #expect(hotswap.status == 0, "\(hotswap.stdout)\(hotswap.stderr)")
        #expect(hotswap.stdout.contains("[hdoc-dev-Backend] hotswapped GetUsers "), "\(hotswap.stdout)")
        #expect(hotswap.stdout.contains("[hdoc-dev-Backend] stack hdoc-dev-Backend now differs from its template (drift) until the next deploy without --hotswap"))
        #expect(!hotswap.stdout.contains("hotswapped GetUserById"))

        // The function runs the new archive: its CodeSha256 is the new archive's hash.
        let plan = try JSONSerialization.jsonObject(with: Data((repo.read("out/hdoc-dev/plan.json") ?? "").utf8)) as? [String: Any]
        let uploads = (plan?["steps"] as? [[String: Any]] ?? []).flatMap { $0["uploads"] as? [[String: Any]] ?? [] }
        let key = try #require(uploads.first { $0["source"] as? String == "Stacks/Functions/hdoc/get_users" }?["key"] as? String)
        let hex = String(key.dropLast(".zip".count))
        let digest = stride(from: 0, to: hex.count, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16)! }
        let resource = try moto.json(
            ["cloudformation", "describe-stack-resource", "--stack-name", "hdoc-dev-Backend", "--logical-resource-id", "GetUsers", "--region", "us-east-1"], profile: "hdoc-dev")
        let name = try #require((resource["StackResourceDetail"] as? [String: Any])?["PhysicalResourceId"] as? String)
        let function = try moto.json(["lambda", "get-function", "--function-name", name, "--region", "us-east-1"], profile: "hdoc-dev")
        #expect((function["Configuration"] as? [String: Any])?["CodeSha256"] as? String == Data(digest).base64EncodedString())
    }
}
