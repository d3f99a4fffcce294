import ArgumentParser
import CloudFormation
import Foundation
import Synthesis

/// The `synth` command and its subcommands. A package starts it through ``StratusCLI/main(define:)``.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesizes the infrastructure in Stacks/ into CloudFormation templates and deploy plans.",
        discussion: """
            Stratus evaluates the constructs in Stacks/ for one environment (described by \
            Environments/<name>.yaml) and writes out/<name>/: one template per stack, plan.json \
            and plan.md. Run it from the repository root.

            Examples:
              swift run synth dev          Synthesize the dev environment.
              swift run synth tst dev prd  Synthesize several environments.
              swift run synth --all        Synthesize every environment.
              swift run synth list         Show environments, stacks, accounts and regions.
              swift run synth diff dev     Show what the code would change in out/dev/.
              swift run synth check        For CI: fail when out/ is stale or data would be lost.
              swift run synth review       The organisation-wide review of trust and delegation.
              swift run synth deploy dev   Run the dev plan with the aws CLI.
              swift run synth init ../ops  Write a new repository skeleton that uses Stratus.
            """,
        version: StratusVersion.current,
        subcommands: [Synthesize.self, List.self, Diff.self, Check.self, Review.self, Deploy.self, Init.self],
        defaultSubcommand: Synthesize.self
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The repository root, which holds Environments/ and out/. The current folder when not given.")
    var root: String?
}

/// Runs `body`; diagnostics go to standard error, sorted, at most `diagnosticLimit` of them, and
/// end the command with status 1. A file-system error that escaped is told with its path, never
/// in Foundation's words.
func reportingDiagnostics(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as DiagnosticError {
        FileHandle.standardError.write(Data((DiagnosticReport.text(error.diagnostics) + "\n").utf8))
        throw ExitCode(1)
    } catch let error as CocoaError {
        let path = error.filePath ?? error.url?.path ?? "a file"
        let code = (error.underlying as? POSIXError)?.code.rawValue ?? (error.code == .fileNoSuchFile || error.code == .fileReadNoSuchFile ? ENOENT : EIO)
        let problem = FileSystem.Problem(errno: code)
        FileHandle.standardError.write(Data((DiagnosticReport.text([Diagnostic(problem.statement("'\(path)'"), hint: problem.hint)]) + "\n").utf8))
        throw ExitCode(1)
    }
}

/// How diagnostics are printed: causes before what they cause, then capped.
enum DiagnosticReport {
    static let limit = 50

    static func text(_ diagnostics: [Diagnostic]) -> String {
        let ordered = causesFirst(diagnostics)
        var lines = ordered.prefix(limit).map(\.description)
        if ordered.count > limit { lines.append("... and \(ordered.count - limit) more") }
        return lines.joined(separator: "\n")
    }

    /// A diagnostic that follows from another one (a reference to a construct that a duplicate
    /// id kept out of the app) comes after all the others, so the cause is read first.
    static func causesFirst(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let consequence = { (diagnostic: Diagnostic) in diagnostic.message.hasSuffix("which is not part of the app") }
        return diagnostics.filter { !consequence($0) } + diagnostics.filter(consequence)
    }
}
