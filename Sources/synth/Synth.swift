import ArgumentParser
import CloudFormation
import Foundation

@main
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesizes the organisation's infrastructure into CloudFormation templates and deploy plans.",
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
            """,
        subcommands: [Synthesize.self, List.self, Diff.self, Check.self, Review.self, Deploy.self],
        defaultSubcommand: Synthesize.self
    )
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "The repository root, which holds Environments/ and out/. The current folder when not given.")
    var root: String?
}

/// Runs `body`; diagnostics go to standard error, sorted, and end the command with status 1.
func reportingDiagnostics(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as DiagnosticError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}
