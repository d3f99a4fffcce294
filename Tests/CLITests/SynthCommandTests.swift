import Foundation
import Plan
import Synthesis
import TestSupport
import Testing

private let synth = Repository.synthExecutable

/// A temporary copy of the repository's Environments/ and Stacks/, and out/ when asked.
private func workspace(withOut: Bool = true) throws -> TemporaryDirectory {
    try Repository.copy(withOut ? ["Environments", "Stacks", "out"] : ["Environments", "Stacks"])
}

private func modificationDates(_ folder: URL) -> [String: Date] {
    var dates: [String: Date] = [:]
    for path in Repository.snapshot(of: folder).keys {
        dates[path] = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.modificationDate] as? Date
    }
    return dates
}

@Suite(.serialized) struct SynthCommandTests {
    @Test func synthesizesOneEnvironmentIntoAnEmptyRepository() throws {
        let repo = try workspace(withOut: false)
        let result = try Command.run(synth, ["dev"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        let files = Repository.snapshot(of: repo.url.appendingPathComponent("out")).keys.sorted()
        let committed = Repository.snapshot(of: Repository.root.appendingPathComponent("out")).keys.filter { $0.hasPrefix("dev/") }.sorted()
        #expect(files == committed)
        for expected in ["dev/dev-Dns.template.yaml", "dev/dev-Delegation.template.yaml", "dev/shared-ApexDns.template.yaml", "dev/plan.json", "dev/plan.md"] {
            #expect(files.contains(expected))
        }
        #expect(result.stdout.contains("-> out/dev/ (\(files.count) written, 0 unchanged, 0 removed)\n"), "\(result.stdout)")
    }

    @Test func committedOutIsWhatTheCodeProduces() throws {
        let repo = try workspace()
        let result = try Command.run(synth, ["--all"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        let committed = Repository.snapshot(of: Repository.root.appendingPathComponent("out"))
        let fresh = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
        #expect(!committed.isEmpty)
        for path in Set(committed.keys).union(fresh.keys).sorted() {
            #expect(committed[path] == fresh[path], "out/\(path) is stale: run swift run synth --all and commit out/")
        }
    }

    @Test func unchangedFilesAreNotRewrittenAndStaleOnesAreRemoved() throws {
        let repo = try workspace(withOut: false)
        #expect(try Command.run(synth, ["dev"], in: repo.url).status == 0)
        let out = repo.url.appendingPathComponent("out")
        let count = Repository.snapshot(of: out).count
        try repo.write("out/dev/dev-Removed.template.yaml", "Resources: {}\n")
        let before = modificationDates(out)
        Thread.sleep(forTimeInterval: 0.05)
        let result = try Command.run(synth, ["dev"], in: repo.url)
        #expect(result.stdout.contains("-> out/dev/ (0 written, \(count) unchanged, 1 removed)\n"), "\(result.stdout)")
        let after = modificationDates(out)
        #expect(after["dev/dev-Removed.template.yaml"] == nil)
        for (path, date) in after { #expect(before[path] == date, "\(path) was rewritten") }

        // A file edited by hand is replaced by the generated one.
        let generated = repo.read("out/dev/plan.md")
        try repo.write("out/dev/plan.md", "edited by hand\n")
        let again = try Command.run(synth, ["dev"], in: repo.url)
        #expect(again.stdout.contains("-> out/dev/ (1 written, \(count - 1) unchanged, 0 removed)\n"), "\(again.stdout)\(again.stderr)")
        #expect(repo.read("out/dev/plan.md") == generated)
    }

    @Test func everyTemplatePassesCfnLint() throws {
        guard let cfnLint = Command.which("cfn-lint") else {
            Issue.record("cfn-lint is not installed: pip install cfn-lint (.ci/run does)")
            return
        }
        let repo = try workspace(withOut: false)
        #expect(try Command.run(synth, ["--all"], in: repo.url).status == 0)
        // Lint each template against the region it deploys to, as the plan says.
        var byRegion: [String: [String]] = [:]
        let out = repo.url.appendingPathComponent("out")
        for environment in try FileManager.default.contentsOfDirectory(atPath: out.path) where !environment.hasPrefix(".") && !environment.hasSuffix(".md") {
            let data = try Data(contentsOf: out.appendingPathComponent(environment).appendingPathComponent("plan.json"))
            let plan = try JSONDecoder().decode(DeployPlan.self, from: data)
            for step in plan.stackSteps {
                guard let template = step.template else { continue }
                byRegion[step.region, default: []].append(out.appendingPathComponent(environment).appendingPathComponent(template).path)
            }
            // StackSet templates: against every region they roll out to.
            for set in plan.stackSets {
                for region in set.regions {
                    byRegion[region, default: []].append(out.appendingPathComponent(environment).appendingPathComponent(set.template).path)
                }
            }
        }
        #expect(!byRegion.isEmpty)
        for (region, templates) in byRegion.sorted(by: { $0.key < $1.key }) {
            let result = try Command.run(cfnLint, ["--regions", region, "--"] + templates, in: repo.url)
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty,
                    "cfn-lint (\(region)) exit \(result.status):\n\(result.stdout)\(result.stderr)")
        }
    }

    /// Each bad environment file: one clear message naming the file, exit status 1, out/ untouched.
    @Test(arguments: [
        ("dev.yaml", "name: dev\naccount: [1\n", "Environments/dev.yaml:3:1: error: malformed YAML: did not find expected ',' or ']'"),
        ("dev.yaml", "name: dev\nregion: eu-west-1\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:1:1: error: missing field 'account'"),
        ("dev.yaml", "name: dev\naccount:\n  id: 1\nregion: eu-west-1\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:3:3: error: field 'account' must be a single value, such as text"),
        ("dev.yaml", "name: dev\naccount: \"12345\"\nregion: eu-west-1\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:2:10: error: account id '12345' must be 12 digits"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-9\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:3:9: error: unknown region 'eu-west-9'"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\ndomain: dev..brainfartlab.com\n", "Environments/dev.yaml:4:9: error: domain 'dev..brainfartlab.com' has an empty label"),
        ("organisation.yaml", "domain: brainfartlab.com\n", "Environments/organisation.yaml:1:1: error: missing field 'accounts'"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\ndomain: dev.brainfartlab.com\ntier: prod\n", "Environments/dev.yaml:5:7: error: tier 'prod' is not one Stratus knows"),
    ])
    func badEnvironmentFileLeavesOutUntouched(_ file: String, _ contents: String, _ firstLine: String) throws {
        let repo = try workspace()
        try repo.write("Environments/\(file)", contents)
        let before = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
        let dates = modificationDates(repo.url.appendingPathComponent("out"))
        let result = try Command.run(synth, ["dev"], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(firstLine + "\n  hint: "), "\(result.stderr)")
        #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == before)
        #expect(modificationDates(repo.url.appendingPathComponent("out")) == dates)
    }

    @Test func unknownEnvironmentListsKnownOnes() throws {
        let repo = try workspace()
        let before = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
        let result = try Command.run(synth, ["dev", "stg"], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stderr == "Environments/stg.yaml: error: unknown environment 'stg'\n  hint: known environments: dev, hdoc-dev, hdoc-prod, hdoc-staging, prd, tst\n")
        #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == before)
    }

    @Test func missingEnvironmentsFolder() throws {
        let empty = try TemporaryDirectory()
        let result = try Command.run(synth, ["dev"], in: empty.url)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("Environments: error: there is no 'Environments' folder here\n"))
        #expect(!FileManager.default.fileExists(atPath: empty.url.appendingPathComponent("out").path))
    }

    @Test func usageErrors() throws {
        let repo = try workspace()
        let none = try Command.run(synth, [], in: repo.url)
        #expect(none.status == 64)
        #expect(none.stderr.contains("Name an environment to synthesize (for example: synth dev), or pass --all."))
        let both = try Command.run(synth, ["dev", "--all"], in: repo.url)
        #expect(both.status == 64)
        #expect(both.stderr.contains("Give environment names or --all, not both."))
    }

    @Test func helpIsWrittenInSentences() throws {
        let repo = try workspace()
        // Help is wrapped to the terminal width: compare with white space folded.
        func folded(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        let help = try Command.run(synth, ["--help"], in: repo.url)
        #expect(help.status == 0)
        #expect(folded(help.stdout).contains("Synthesizes the infrastructure in Stacks/ into CloudFormation templates and deploy plans."))
        #expect(folded(help.stdout).contains("swift run synth --all Synthesize every environment."))
        #expect(folded(help.stdout).contains("list Lists the environments, and the stacks, accounts and regions each one deploys to."))
        let synthesizeHelp = try Command.run(synth, ["synthesize", "--help"], in: repo.url)
        #expect(folded(synthesizeHelp.stdout).contains("leaves out/ exactly as it was"))
    }

    @Test func listShowsEnvironmentsStacksAccountsAndRegions() throws {
        let repo = try workspace()
        let result = try Command.run(synth, ["list"], in: repo.url)
        #expect(result.status == 0, "\(result.stderr)")
        // Every environment of the repository, with every step its committed plan deploys.
        let catalog = try EnvironmentCatalog(root: repo.url)
        let organisation = try catalog.organisation()
        #expect(result.stdout.contains("Organisation \(organisation.apexDomains.joined(separator: ", "))\n  management   \(organisation.management.id)  \(organisation.management.region)\n"))
        #expect(organisation.apexDomains.contains("patrickcmd.dev"))
        var lines: [String] = ["  shared-BootstrapTemplate (StackSet template): management 100000000001, "]
        for environment in try catalog.environments(organisation: organisation) {
            lines.append("Environment \(environment.name): account \(environment.account.id), \(environment.region), \(([environment.domain] + environment.zones).joined(separator: ", "))\n")
            let plan = try JSONDecoder().decode(DeployPlan.self, from: Data(contentsOf: repo.url.appendingPathComponent("out/\(environment.name)/plan.json")))
            for step in plan.stackSteps {
                lines.append("  \(step.id)\(step.shared == true ? " (shared)" : ""): \(step.account.name) \(step.account.id) \(step.region), ")
            }
        }
        for line in lines {
            #expect(result.stdout.contains(line), "\(result.stdout)")
        }
    }
}
