import ArgumentParser
import CloudFormation
import Foundation
import Plan

struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Prints the organisation-wide review: delegations, cross-account trust, StackSets, values crossing accounts.",
        discussion: """
            Synthesizes every environment in memory and prints what out/review.md holds (synth \
            --all writes that file). Each environment's plan.md has the same sections for that \
            environment alone.

            Example:
              synth review
            """
    )

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            let results = try workspace.synthesize(workspace.catalog.names)
            print(OrganisationReview.markdown(results.map(\.output.plan)), terminator: "")
        }
    }
}
