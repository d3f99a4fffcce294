import ArgumentParser
import CloudFormation
import Foundation
import Plan
import Synthesis

struct Synthesize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesize",
        abstract: "Writes the templates and deploy plan of one or more environments to out/<env>/.",
        discussion: """
            Every environment named is synthesized in memory first. If any input is wrong \
            (an environment file, a construct, a reference cycle), synth prints every problem, \
            exits with status 1 and leaves out/ exactly as it was. Otherwise it rewrites only the \
            files whose bytes changed and removes files of stacks that no longer exist.

            Examples:
              synth dev
              synth tst dev prd
              synth --all
            """
    )

    @Argument(help: "The environments to synthesize, by file name in Environments/ (dev for Environments/dev.yaml).")
    var environments: [String] = []

    @Flag(name: .long, help: "Synthesize every environment in Environments/.")
    var all = false

    @OptionGroup var options: CommonOptions

    func validate() throws {
        // With no environment named, ArgumentParser reports the missing name before an unknown option.
        let known = ["--all", "--root", "--help", "-h", "--"]
        if let unknown = CommandLine.arguments.dropFirst().first(where: { $0.hasPrefix("-") && !known.contains(String($0.split(separator: "=")[0])) }) {
            throw ValidationError("Unknown option '\(unknown)'.")
        }
        if all && !environments.isEmpty {
            throw ValidationError("Give environment names or --all, not both.")
        }
        if !all && environments.isEmpty {
            throw ValidationError("Name an environment to synthesize (for example: synth dev), or pass --all.")
        }
    }

    func run() throws {
        let started = Date()
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            // One run at a time reads and commits out/; a commit a killed run left is settled first.
            let lock = try OutputLock.acquire(workspace.outDirectory)
            defer { lock.release() }
            let writer = OutputWriter(outDirectory: workspace.outDirectory)
            if let note = try writer.recover() {
                FileHandle.standardError.write(Data("note: \(note)\n".utf8))
            }
            let names = all ? workspace.catalog.names : environments.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let results = try workspace.synthesize(names)
            // The organisation-wide review needs every environment: written with --all only.
            let rootFiles = all ? [OutputFile(path: "review.md", text: OrganisationReview.markdown(results.map(\.output.plan)))] : []
            let changes = try writer.write(results.map(\.output), rootFiles: rootFiles)
            let seconds = Date().timeIntervalSince(started)
            for (result, change) in zip(results, changes) {
                let stacks = result.app.stacks.count
                let resources = result.app.stacks.reduce(0) { $0 + $1.template.resources.count }
                print("\(result.output.environment): \(stacks) stacks, \(resources) resources -> out/\(result.output.environment)/ (\(change.summary))")
            }
            print(String(format: "synthesized in %.3f s (schema validation %.3f s of it)", seconds, workspace.validator.seconds))
        }
    }
}
