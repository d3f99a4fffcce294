import ArgumentParser
import CloudFormation
import Foundation
import Plan

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shows what the code would change in out/: per stack, resources, properties, parameters, outputs, security, plan steps.",
        discussion: """
            Synthesizes in memory (nothing is written) and compares with the committed out/<env>/, \
            or with <base>/<env>/ when --base is given. Each resource change is classified the way \
            CloudFormation will treat it: update in place, replacement (a create-only property \
            changed, per the official resource schemas; a new logical id is a new resource), or \
            deletion. Replacing or deleting a stateful resource (tables, databases, buckets, zones, \
            user pools, keys, log groups) is marked as possible data loss.

            Examples:
              synth diff dev
              synth diff dev --deployed
              synth diff --all --base /tmp/main-out --format json
            """
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "The environments to compare.")
    var environments: [String] = []

    @Flag(name: .long, help: "Compare every environment.")
    var all = false

    @Option(name: .long, help: "A folder laid out like out/ to compare with, instead of out/.")
    var base: String?

    @Flag(name: .long, help: "Compare out/<env>/ with the templates and parameters deployed now (aws cloudformation get-template, describe-stacks).")
    var deployed = false

    @Option(name: .long, help: "With --deployed: send every AWS call to this endpoint.")
    var endpointUrl: String?

    @Option(name: .long, help: "text (colours on a terminal unless NO_COLOR is set) or json.")
    var format: Format = .text

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            let names = all || environments.isEmpty ? workspace.catalog.names : environments
            let baseFolder = base.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? workspace.outDirectory
            var parameterChanges: [String] = []
            let diffs = try workspace.synthesize(names).map { result in
                guard deployed else {
                    return OutputDiff.diff(new: result.output, old: OutputFolder.read(baseFolder.appendingPathComponent(result.output.environment)))
                }
                var profiles: [String: String] = [:]
                for account in result.app.organisation.accounts + [result.app.environment.account] { profiles[account.id] = account.profile }
                let now = try DeployedOutput.read(
                    result.output, folder: workspace.outDirectory.appendingPathComponent(result.output.environment), profiles: profiles, endpointURL: endpointUrl)
                parameterChanges += now.parameterChanges
                return OutputDiff.diff(new: result.output, old: now.files)
            }
            let report = DiffReport(diffs, colour: Terminal.wantsColour)
            print(format == .json ? report.json() : report.text(), terminator: format == .json ? "" : "\n")
            if !parameterChanges.isEmpty && format == .text {
                print("Deployed parameters that differ:\n" + parameterChanges.map { "  \($0)" }.joined(separator: "\n"))
            }
        }
    }
}

enum Terminal {
    /// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static var wantsColour: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1
    }
}

/// Reading a folder of generated files.
enum OutputFolder {
    /// Every file below `folder` (relative path -> bytes); empty when there is no folder.
    static func read(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for path in OutputWriter.files(under: folder) {
            files[path] = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path)
        }
        return files
    }

    /// The files of `folder` (relative to the repository) as committed at git `ref`.
    static func read(gitRef ref: String, folder: String, repository: URL) throws -> [String: Data] {
        let list = try git(["ls-tree", "-r", "--name-only", ref, "--", folder + "/"], in: repository)
        var files: [String: Data] = [:]
        for path in String(decoding: list, as: UTF8.self).split(separator: "\n") {
            let relative = String(path.dropFirst(folder.count + 1))
            files[relative] = try git(["show", "\(ref):\(path)"], in: repository)
        }
        return files
    }

    private static func git(_ arguments: [String], in directory: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DiagnosticError(Diagnostic(
                "git \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))",
                at: SourceLocation(file: "out/"), hint: "give a ref that exists, e.g. origin/main (fetch it first in CI)"))
        }
        return data
    }
}
