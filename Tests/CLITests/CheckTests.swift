import Foundation
import TestSupport
import Testing

@Suite(.serialized) struct CheckTests {
    private let synth = Repository.synthExecutable

    private func workspace() throws -> TemporaryDirectory { try Repository.copy() }

    @Test func freshOutPasses() throws {
        let repo = try workspace()
        let result = try Command.run(synth, ["check"], in: repo.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "out/ is up to date for dev, hdoc-dev, hdoc-prod, hdoc-staging, prd, tst.\n")
    }

    @Test func staleOutFailsWithTheDiffAndTheFix() throws {
        let repo = try workspace()
        let path = "out/dev/dev-Dns.template.yaml"
        try repo.write(path, try #require(repo.read(path)).replacingOccurrences(of: "Name: dev.brainfartlab.com", with: "Name: old.brainfartlab.com"))
        let result = try Command.run(synth, ["check"], in: repo.url, environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 })
        #expect(result.status == 1)
        #expect(result.stdout.contains("[-/+] AWS::Route53::HostedZone Zone replacement (stateful: possible data loss)"), "\(result.stdout)")
        #expect(result.stdout.contains("      Name: old.brainfartlab.com -> dev.brainfartlab.com (replaces)"))
        #expect(result.stdout.contains("out/ is stale: 1 file differ (out/dev/dev-Dns.template.yaml).\nFix: swift run synth --all, then commit out/.\n"))
    }

    @Test func destructiveChangeAgainstTheBaseNeedsAnAcknowledgement() throws {
        let repo = try workspace()
        // A base where the games table had another logical id: the code deletes it.
        let base = try TemporaryDirectory()
        try FileManager.default.copyItem(at: repo.url.appendingPathComponent("out"), to: base.url.appendingPathComponent("out"))
        let quiz = base.url.appendingPathComponent("out/dev/dev-Quiz.template.yaml")
        let text = try String(contentsOf: quiz, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\n  Games:\n", with: "\n  OldGames:\n").utf8).write(to: quiz)

        let refused = try Command.run(synth, ["check", "--base", base.url.appendingPathComponent("out").path], in: repo.url)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("Possible data loss or refused updates against \(base.url.path)/out:\n  AWS::DynamoDB::Table dev/dev-Quiz/OldGames: kept but orphaned: the stack no longer manages it (DeletionPolicy Retain)\n"), "\(refused.stdout)")

        let acknowledged = try Command.run(synth, ["check", "--base", base.url.appendingPathComponent("out").path, "--acknowledge", "dev/dev-Quiz/OldGames"], in: repo.url)
        #expect(acknowledged.status == 0, "\(acknowledged.stdout)")
        #expect(acknowledged.stdout.contains("acknowledged: AWS::DynamoDB::Table dev/dev-Quiz/OldGames: kept but orphaned"))

        try repo.write("Stacks/acknowledged-changes.txt", "# reviewed in PR 12\ndev/dev-Quiz/OldGames  # games move to a new table\n")
        #expect(try Command.run(synth, ["check", "--base", base.url.appendingPathComponent("out").path], in: repo.url).status == 0)
    }

    @Test func diffOfAFreshCopyIsEmptyAndReviewListsTheOrganisation() throws {
        let repo = try workspace()
        let diff = try Command.run(synth, ["diff", "--all"], in: repo.url)
        #expect(diff.stdout == "dev: no changes\nhdoc-dev: no changes\nhdoc-prod: no changes\nhdoc-staging: no changes\nprd: no changes\ntst: no changes\n")
        let review = try Command.run(synth, ["review"], in: repo.url)
        #expect(review.stdout == repo.read("out/review.md"))
        #expect(review.stdout.contains("| dev | brainfartlab.com | network (100000000002) | dev.brainfartlab.com | dev (200000000002) | dev-Delegation |"))
    }
}
