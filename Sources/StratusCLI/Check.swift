import ArgumentParser
import CloudFormation
import Foundation
import Plan

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "For CI: fails when out/ is stale, or when a change would lose data or be refused and nobody acknowledged it.",
        discussion: """
            Re-synthesizes every environment in memory. Exits 1 when out/ differs from what the \
            code produces, printing the diff and the command that fixes it.

            With --base-ref (a git ref such as origin/main) or --base (a folder laid out like out/), \
            it also compares that base with the code and exits 1 on a change that replaces (or may \
            replace) or deletes a resource holding data, or that CloudFormation will refuse or that \
            quietly deletes something (see synth diff), unless that exact resource is acknowledged: \
            listed as <env>/<stack>/<LogicalId> in Stacks/acknowledged-changes.txt (reviewed like \
            code) or passed with --acknowledge. With --head as well, it compares the two folders \
            (for example the committed out/ of two commits) without building or checking out/.

            Examples:
              synth check
              synth check --base-ref origin/main
              synth check --base-ref origin/main --acknowledge dev/dev-Quiz/Games
              synth check --base /tmp/main/out --head out
            """
    )

    static let acknowledgementsFile = "Stacks/acknowledged-changes.txt"

    @Option(name: .long, help: "A git ref whose out/ is the base for the destructive-change check.")
    var baseRef: String?

    @Option(name: .long, help: "A folder laid out like out/ that is the base for the destructive-change check.")
    var base: String?

    @Option(name: .long, help: "A folder laid out like out/ to check against the base instead of what the code produces (nothing is built).")
    var head: String?

    @Option(name: .long, help: "Acknowledge a change to <env>/<stack>/<LogicalId> that loses data or will be refused; may be repeated.")
    var acknowledge: [String] = []

    @OptionGroup var options: CommonOptions

    func validate() throws {
        if head != nil && base == nil && baseRef == nil {
            throw ValidationError("--head needs --base (or --base-ref): the folder to compare it with")
        }
        if base != nil && baseRef != nil {
            throw ValidationError("give --base or --base-ref, not both")
        }
    }

    func run() throws {
        try reportingDiagnostics {
            var failed = false
            let root = URL(fileURLWithPath: options.root ?? FileManager.default.currentDirectoryPath, isDirectory: true).standardizedFileURL
            let baseFolder = try base.map { try OutputFolder.existing($0, option: "--base") }

            // The head: a folder, or what the code produces (then out/ must be that, too).
            var heads: [(environment: String, diff: ([String: Data]) -> EnvironmentDiff)] = []
            if let head {
                let headFolder = try OutputFolder.existing(head, option: "--head")
                let names = try OutputFolder.environments([], base: baseFolder ?? headFolder, head: headFolder)
                for name in names {
                    let files = OutputFolder.read(headFolder.appendingPathComponent(name))
                    heads.append((name, { old in OutputDiff.diff(environment: name, new: files, old: old) }))
                }
            } else {
                let workspace = try Workspace(options)
                let results = try workspace.synthesize(workspace.catalog.names)
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
                for result in results {
                    heads.append((result.output.environment, { old in OutputDiff.diff(new: result.output, old: old) }))
                }
            }

            // 2. Changes against the base that lose data or will be refused.
            if baseRef != nil || base != nil {
                let against = baseRef ?? base!
                let acknowledged = Set(acknowledge + (try readAcknowledgements(root)))
                var unacknowledged: [String] = []
                for head in heads {
                    let old: [String: Data]
                    if let baseRef {
                        old = try OutputFolder.read(gitRef: baseRef, folder: "out/\(head.environment)", repository: root)
                    } else {
                        old = OutputFolder.read(baseFolder!.appendingPathComponent(head.environment))
                    }
                    let diff = head.diff(old)
                    var findings: [(id: String, what: String)] = []
                    for (stack, change) in diff.destructiveChanges {
                        let id = "\(head.environment)/\(stack)/\(change.logicalId)"
                        let why = change.replacedBecause.first.map { " (\($0.description))" } ?? ""
                        findings.append((id, "\(change.type) \(id): \(change.dataLoss ?? "")\(why)"))
                    }
                    for (stack, warning) in diff.warnings {
                        let id = "\(head.environment)/\(stack)/\(warning.logicalId)"
                        findings.append((id, "\(warning.type) \(id) \(DiffReport.warningKind(warning.kind)): \(warning.message)"))
                    }
                    for finding in findings {
                        if acknowledged.contains(finding.id) {
                            print("acknowledged: \(finding.what)")
                        } else {
                            unacknowledged.append(finding.what)
                        }
                    }
                }
                if unacknowledged.isEmpty {
                    print("No unacknowledged data loss or refused update against \(against).")
                } else {
                    failed = true
                    print("Possible data loss or refused updates against \(against):")
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
