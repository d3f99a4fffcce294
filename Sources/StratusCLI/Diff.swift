import ArgumentParser
import CloudFormation
import Foundation
import Plan

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Shows what the code would change in out/: per stack, resources, properties, parameters, outputs, security, update warnings, plan steps.",
        discussion: """
            Synthesizes in memory (nothing is written) and compares with the committed out/<env>/, \
            or with <base>/<env>/ when --base is given. With --head, compares two folders laid out \
            like out/ (for example the committed out/ of two commits) without building anything.

            Each resource change is classified the way CloudFormation will treat it: update in \
            place, may be replaced (a conditional create-only property), replacement (a create-only \
            property changed, per the official resource schemas, or a create-only property \
            references a replaced resource, in this stack or through another stack's output; a new \
            logical id is a new resource), or deletion. Replacing or deleting a resource that holds \
            data (tables, databases, buckets, queues, file systems, streams, zones, user pools, keys, \
            secrets, log groups, ...) is marked as possible data loss, in the words of its \
            DeletionPolicy. Updates CloudFormation will refuse (a KMS key's KeySpec, a changed \
            index key, shrinking storage, a replaced resource with a fixed name) or that delete \
            something (a shorter log retention) are listed as update warnings.

            Examples:
              synth diff dev
              synth diff dev --deployed
              synth diff --all --base /tmp/main-out --format json
              synth diff dev --base /tmp/main/out --head out --format markdown
            """
    )

    enum Format: String, ExpressibleByArgument { case text, json, markdown }

    @Argument(help: "The environments to compare (every one when none is given).")
    var environments: [String] = []

    @Flag(name: .long, help: "Compare every environment.")
    var all = false

    @Option(name: .long, help: "A folder laid out like out/ to compare with, instead of out/.")
    var base: String?

    @Option(name: .long, help: "A folder laid out like out/ to compare, instead of what the code produces (nothing is built).")
    var head: String?

    @Flag(name: .long, help: "Compare out/<env>/ with the templates and parameters deployed now (aws cloudformation get-template, describe-stacks).")
    var deployed = false

    @Option(name: .long, help: "With --deployed: send every AWS call to this endpoint.")
    var endpointUrl: String?

    @Option(name: .long, help: "text (colours on a terminal unless NO_COLOR is set), json, or markdown (for a pull request).")
    var format: Format = .text

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let diffs: [EnvironmentDiff]
            var parameterChanges: [String] = []
            if let head {
                let root = URL(fileURLWithPath: options.root ?? FileManager.default.currentDirectoryPath, isDirectory: true)
                let baseFolder = try OutputFolder.existing(base ?? root.appendingPathComponent("out").path, option: base == nil ? "out/" : "--base")
                let headFolder = try OutputFolder.existing(head, option: "--head")
                let names = try OutputFolder.environments(all ? [] : environments, base: baseFolder, head: headFolder)
                diffs = names.map { name in
                    OutputDiff.diff(environment: name, new: OutputFolder.read(headFolder.appendingPathComponent(name)),
                                    old: OutputFolder.read(baseFolder.appendingPathComponent(name)))
                }
            } else {
                let workspace = try Workspace(options)
                let names = all || environments.isEmpty ? workspace.catalog.names : environments
                let baseFolder = try base.map { try OutputFolder.existing($0, option: "--base") } ?? workspace.outDirectory
                diffs = try workspace.synthesize(names).map { result in
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
            }
            let report = DiffReport(diffs, colour: format == .text && Terminal.wantsColour)
            switch format {
            case .json: print(report.json(), terminator: "")
            case .markdown: print(report.markdown(), terminator: "")
            case .text: print(report.text())
            }
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
    /// The folder at `path`, or an error naming the option when it is not a folder.
    static func existing(_ path: String, option: String) throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DiagnosticError(Diagnostic(
                "\(option) \(path) is not a folder", at: SourceLocation(file: path),
                hint: "give a folder laid out like out/ (one folder per environment), e.g. git worktree add /tmp/main origin/main, then --base /tmp/main/out"))
        }
        return URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The environments to compare between two folders: `requested`, or every environment folder
    /// (one holding plan.json) in either. A requested name in neither is an error.
    static func environments(_ requested: [String], base: URL, head: URL) throws -> [String] {
        func names(_ folder: URL) -> Set<String> {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return Set(entries.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("plan.json").path) })
        }
        let known = names(base).union(names(head))
        for name in requested where !known.contains(name) {
            throw DiagnosticError(Diagnostic(
                "environment '\(name)' is in neither \(base.path) nor \(head.path)", at: SourceLocation(file: head.path),
                hint: "known there: \(known.sorted().joined(separator: ", "))"))
        }
        return requested.isEmpty ? known.sorted() : requested
    }

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
