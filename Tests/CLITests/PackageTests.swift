import Foundation
import Plan
import TestSupport
import Testing

/// Stratus as a package another repository depends on: `synth init` writes a repository that
/// builds and synthesizes against this checkout, and Examples/Bookshelf builds, synthesizes,
/// lints and passes `synth check`. Each consumer builds in its own scratch folder under
/// `.build/consumers/`, so a second run is incremental.
@Suite(.serialized) struct PackageTests {
    private let synth = Repository.synthExecutable

    /// A digest of the paths of Stratus's source files. SwiftPM's incremental build of a path
    /// dependency goes stale when the dependency gains or loses files (seen here: link errors, then
    /// a consumer that crashed in code whose layout had changed), so a consumer's scratch folder is
    /// named by it: a change of the file list builds the consumer cold, an edit stays incremental.
    private static let sourcesKey: String = {
        let sources = Repository.root.appendingPathComponent("Sources")
        var paths: [String] = []
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL { paths.append(file.path) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in paths.sorted().joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }()

    /// `swift build` of the package at `folder`; returns its `synth` executable.
    private func build(_ folder: URL, scratch: String) throws -> URL {
        let consumers = Repository.root.appendingPathComponent(".build/consumers")
        // Scratch folders of this consumer for other file lists are stale: remove them.
        for old in (try? FileManager.default.contentsOfDirectory(atPath: consumers.path)) ?? []
        where old == scratch || (old.hasPrefix("\(scratch)-") && old != "\(scratch)-\(Self.sourcesKey)") {
            try? FileManager.default.removeItem(at: consumers.appendingPathComponent(old))
        }
        let scratchPath = consumers.appendingPathComponent("\(scratch)-\(Self.sourcesKey)")
        let swift = try #require(Command.which("swift"), "swift is not on PATH")
        let result = try Command.run(swift, ["build", "--package-path", folder.path, "--scratch-path", scratchPath.path, "--product", "synth"], in: folder)
        try #require(result.status == 0, "swift build of \(folder.path) failed:\n\(result.stdout)\(result.stderr)")
        return scratchPath.appendingPathComponent("debug/synth")
    }

    /// cfn-lint on every template of `out/<env>/`, against the region its plan deploys it to.
    private func lint(_ out: URL) throws {
        let cfnLint = try #require(Command.which("cfn-lint"), "cfn-lint is not installed: run Scripts/setup")
        var count = 0
        for environment in try FileManager.default.contentsOfDirectory(atPath: out.path) where !environment.hasPrefix(".") && !environment.hasSuffix(".md") {
            let folder = out.appendingPathComponent(environment)
            let plan = try JSONDecoder().decode(DeployPlan.self, from: Data(contentsOf: folder.appendingPathComponent("plan.json")))
            for step in plan.stackSteps {
                guard let template = step.template else { continue }
                count += 1
                let result = try Command.run(cfnLint, ["--regions", step.region, "--", folder.appendingPathComponent(template).path], in: out)
                #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "cfn-lint \(environment)/\(template): \(result.stdout)\(result.stderr)")
            }
        }
        #expect(count > 0)
    }

    @Test func initWritesARepositoryThatBuildsAndSynthesizes() throws {
        let scratch = try TemporaryDirectory()
        let folder = scratch.url.appendingPathComponent("payments")
        let initialised = try Command.run(synth, ["init", folder.path, "--stratus", Repository.root.path, "--domain", "payments.example.net"], in: scratch.url)
        try #require(initialised.status == 0, "\(initialised.stdout)\(initialised.stderr)")
        for path in ["Package.swift", "Sources/synth/main.swift", "Stacks/Infrastructure.swift", "Environments/organisation.yaml",
                     "Environments/dev.yaml", ".gitignore", ".github/workflows/synth.yml", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path), "init wrote no \(path)")
        }
        #expect(try String(contentsOf: folder.appendingPathComponent(".github/workflows/synth.yml"), encoding: .utf8).contains("swift run synth check"))

        let consumer = try build(folder, scratch: "init")
        let synthesized = try Command.run(consumer, ["--all"], in: folder)
        #expect(synthesized.status == 0, "\(synthesized.stdout)\(synthesized.stderr)")
        #expect(synthesized.stdout.hasPrefix("dev: 1 stacks, "), "\(synthesized.stdout)")
        let template = try String(contentsOf: folder.appendingPathComponent("out/dev/dev-Hello.template.yaml"), encoding: .utf8)
        #expect(template.contains("AWS::DynamoDB::Table") && template.contains("AWS::Lambda::Function"))
        try lint(folder.appendingPathComponent("out"))
        let check = try Command.run(consumer, ["check"], in: folder)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        // A raw resource with a misspelt property: one error naming the line, and out/ unchanged.
        let before = Repository.snapshot(of: folder.appendingPathComponent("out"))
        let stacks = folder.appendingPathComponent("Stacks/Infrastructure.swift")
        var source = try String(contentsOf: stacks, encoding: .utf8)
        source = source.replacingOccurrences(
            of: "        greetings.grantReadWrite(to: handler)\n",
            with: "        greetings.grantReadWrite(to: handler)\n        CfnResource(in: stack, \"Alerts\", type: \"AWS::SNS::Topic\", properties: [\"DisplayNam\": \"alerts\"])\n"
                + "        Rule(in: stack, \"Nightly\", schedule: \"rate(1 days)\").addTarget(.function(handler))\n"
                + "        let shared = LayerVersion(in: stack, \"Shared\", code: \"Stacks/Functions/hello\", compatibleRuntimes: [.python313])\n"
                + "        Function(in: stack, \"Node\", runtime: .nodejs22, handler: \"index.handler\", code: .inline(\"x\"), layers: [shared])\n"
                + "        StateMachine(in: stack, \"Cleanup\", definition: .file(\"StateMachines/cleanup.asl.json\"))\n")
        try Data(source.utf8).write(to: stacks)
        // The definition file ends an object with a trailing comma (line 3, column 42).
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("StateMachines"), withIntermediateDirectories: true)
        try Data("{\n  \"StartAt\": \"Done\",\n  \"States\": {\"Done\": {\"Type\": \"Succeed\"},}\n}\n".utf8)
            .write(to: folder.appendingPathComponent("StateMachines/cleanup.asl.json"))
        func line(_ text: String) throws -> Int {
            try #require(source.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }) + 1
        }
        let broken = try Command.run(try build(folder, scratch: "init"), ["dev"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("Stacks/Infrastructure.swift:\(try line("DisplayNam\"")): error: dev/Hello/Alerts: AWS::SNS::Topic has no property 'DisplayNam'"), "\(broken.stderr)")
        #expect(broken.stderr.contains("hint: did you mean 'DisplayName'?"), "\(broken.stderr)")
        // The event-driven constructs' errors: file and line (or the definition's line and column), a hint each.
        #expect(broken.stderr.contains("""
            Stacks/Infrastructure.swift:\(try line("rate(1 days)")): error: dev/Hello/Nightly: schedule 'rate(1 days)' is not one EventBridge accepts: a rate of 1 takes the singular unit
              hint: write rate(1 day)
            """), "\(broken.stderr)")
        #expect(broken.stderr.contains("""
            Stacks/Infrastructure.swift:\(try line("\"Node\"")): error: dev/Hello/Node: layer dev/Hello/Shared is for python3.13, not this function's runtime nodejs22.x
              hint: add .nodejs22 to the layer's compatibleRuntimes if its code runs there, or use a layer built for nodejs22.x
            """), "\(broken.stderr)")
        #expect(broken.stderr.contains("""
            StateMachines/cleanup.asl.json:3:42: error: dev/Hello/Cleanup: state machine definition 'StateMachines/cleanup.asl.json' is not valid JSON: a trailing comma before '}' is not allowed
              hint: Step Functions definitions are Amazon States Language, in JSON
            """), "\(broken.stderr)")
        #expect(Repository.snapshot(of: folder.appendingPathComponent("out")) == before)
    }

    @Test func initRefusesAFolderThatIsNotEmptyAndAnInvalidName() throws {
        let scratch = try TemporaryDirectory()
        try scratch.write("taken/notes.txt", "mine\n")
        let taken = try Command.run(synth, ["init", "taken"], in: scratch.url)
        #expect(taken.status == 1)
        #expect(taken.stderr.hasPrefix("error: cannot init 'taken': the folder exists and is not empty (1 entry)\n  hint: "), "\(taken.stderr)")
        #expect(scratch.read("taken/notes.txt") == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("taken/Package.swift").path))

        for (name, problem) in [("9lives", "must start with a letter"), ("my app", "contains ' '"), ("café", "contains 'é'")] {
            let result = try Command.run(synth, ["init", name], in: scratch.url)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error: cannot init '\(name)': package name '\(name)' \(problem)\n  hint: "), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent(name).path))
        }
        // An empty folder is fine, and --name replaces the folder's name.
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("2024"), withIntermediateDirectories: true)
        let named = try Command.run(synth, ["init", "2024", "--name", "reports"], in: scratch.url)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(scratch.read("2024/Package.swift")?.contains(#"name: "reports""#) == true)
    }

    @Test func exampleConsumerBuildsSynthesizesAndIsChecked() throws {
        let example = Repository.root.appendingPathComponent("Examples/Bookshelf")
        let consumer = try build(example, scratch: "Bookshelf")
        // The committed out/ is what the example's code produces, and every template lints.
        let check = try Command.run(consumer, ["check"], in: example, environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 })
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        try lint(example.appendingPathComponent("out"))
        let listed = try Command.run(consumer, ["list"], in: example)
        #expect(listed.status == 0 && listed.stdout.contains("production") && listed.stdout.contains("staging"), "\(listed.stdout)")
        #expect(!listed.stdout.contains("brainfartlab"))
    }
}
