import CloudFormation
import Foundation
import Synthesis
import TestSupport
import Testing

/// cfn-lint (the pinned one Scripts/setup installs) finds nothing in the templates of the
/// event-driven constructs: layers, destinations, rules with each kind of target, state machines.
@Suite struct EventDrivenLintTests {
    @Test func eventDrivenTemplatesLintClean() throws {
        guard let cfnLint = Command.which("cfn-lint") else {
            Issue.record("cfn-lint is not installed: run Scripts/setup")
            return
        }
        let repository = try EventDrivenScenarios.repository()
        let scenarios: [(String, SynthesizedApp)] = [
            ("schedule", try EventDrivenScenarios.schedule()),
            ("patterns", try EventDrivenScenarios.patterns()),
            ("machines", try EventDrivenScenarios.machines()),
            ("destinations", try EventDrivenScenarios.destinations()),
            ("delivery", try EventDrivenScenarios.delivery()),
            ("layer", try EventDrivenScenarios.layer(in: repository).0),
            ("definition-file", try EventDrivenScenarios.definitionFile(in: repository)),
        ]
        let scratch = try TemporaryDirectory()
        var paths: [String] = []
        for (name, app) in scenarios {
            try scratch.write("\(name).yaml", Fixtures.yaml(app, "dev-Test"))
            paths.append(scratch.url.appendingPathComponent("\(name).yaml").path)
        }
        let result = try Command.run(cfnLint, ["--regions", "eu-west-1", "--"] + paths, in: scratch.url)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "cfn-lint exit \(result.status):\n\(result.stdout)\(result.stderr)")
    }
}
