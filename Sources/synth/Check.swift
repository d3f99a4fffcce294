import ArgumentParser
import CloudFormation
import Foundation
import Plan

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For CI: fails when out/ is stale, or when a change would replace or delete a stateful resource nobody acknowledged.",
        discussion: """
            Re-synthesizes every environment in memory. Exits 1 when out/ differs from what the \
            code produces, printing the diff and the command that fixes it.

            With --base-ref (a git ref such as origin/main) or --base (a folder laid out like out/), \
            it also compares that base with the code and exits 1 when a change replaces or deletes \
            a stateful resource (a table, database, bucket, hosted zone, user pool, key or log group), \
            unless that exact resource is acknowledged: listed as <env>/<stack>/<LogicalId> in \
            Stacks/acknowledged-changes.txt (reviewed like code) or passed with --acknowledge.

            Examples:
              synth check
              synth check --base-ref origin/main
              synth check --base-ref origin/main --acknowledge dev/dev-Quiz/Games
            """
    )

    static let acknowledgementsFile = "Stacks/acknowledged-changes.txt"

    @Option(name: .long, help: "A git ref whose out/ is the base for the destructive-change check.")
    var baseRef: String?

    @Option(name: .long, help: "A folder laid out like out/ that is the base for the destructive-change check.")
    var base: String?

    @Option(name: .long, help: "Acknowledge the replacement or deletion of <env>/<stack>/<LogicalId>; may be repeated.")
    var acknowledge: [String] = []

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            let results = try workspace.synthesize(workspace.catalog.names)
            var failed = false

            // 1. out/ must be what the code produces.
            let stale = results.map { result in
                OutputDiff.diff(new: result.output, old: OutputFolder.read(workspace.outDirectory.appendingPathComponent(result.output.environment)))
            }.filter { !$0.isEmpty }
            let review = OrganisationReview.markdown(results.map(\.output.plan))
            let reviewStale = FileManager.default.contents(atPath: workspace.outDirectory.appendingPathComponent("review.md").path) != Data(review.utf8)
            if !stale.isEmpty || reviewStale {
                failed = true
                print(DiffReport(stale, colour: Terminal.wantsColour).text())
                let files = stale.flatMap { diff in diff.files.map { "out/\(diff.environment)/\($0)" } } + (reviewStale ? ["out/review.md"] : [])
                print("out/ is stale: \(files.count) file\(files.count == 1 ? "" : "s") differ (\(files.prefix(8).joined(separator: ", "))\(files.count > 8 ? ", ..." : "")).")
                print("Fix: swift run synth --all, then commit out/.")
            } else {
                print("out/ is up to date for \(results.map(\.output.environment).joined(separator: ", ")).")
            }

            // 2. Destructive changes against the base.
            if baseRef != nil || base != nil {
                let acknowledged = Set(acknowledge + (try readAcknowledgements(workspace.root)))
                var unacknowledged: [String] = []
                for result in results {
                    let environment = result.output.environment
                    let old: [String: Data]
                    if let baseRef {
                        old = try OutputFolder.read(gitRef: baseRef, folder: "out/\(environment)", repository: workspace.root)
                    } else {
                        old = OutputFolder.read(URL(fileURLWithPath: base!, isDirectory: true).appendingPathComponent(environment))
                    }
                    let diff = OutputDiff.diff(new: result.output, old: old)
                    for (stack, change) in diff.destructiveChanges {
                        let id = "\(environment)/\(stack)/\(change.logicalId)"
                        let what = "\(change.type) \(id) would be \(change.action == .remove ? "deleted" : "replaced")"
                        if acknowledged.contains(id) {
                            print("acknowledged: \(what)")
                        } else {
                            unacknowledged.append(what)
                        }
                    }
                }
                if unacknowledged.isEmpty {
                    print("No unacknowledged replacement or deletion of a stateful resource against \(baseRef ?? base!).")
                } else {
                    failed = true
                    print("Possible data loss against \(baseRef ?? base!):")
                    for line in unacknowledged { print("  \(line)") }
                    print("If intended, list each <env>/<stack>/<LogicalId> in \(Self.acknowledgementsFile) (reviewed with the change), or pass --acknowledge.")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// Lines of the acknowledgements file, without comments and blanks.
    private func readAcknowledgements(_ root: URL) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(Self.acknowledgementsFile).path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmingCharacters(in: .whitespaces) ?? ""
            return text.isEmpty ? nil : text
        }
    }
}
