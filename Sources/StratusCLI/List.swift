import ArgumentParser
import CloudFormation
import Foundation
import Synthesis

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lists the environments, and the stacks, accounts and regions each one deploys to.",
        discussion: """
            Reads every file in Environments/ and builds each environment's construct tree, \
            without writing anything.

            Example:
              synth list
            """
    )

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            let organisation = try workspace.catalog.organisation()
            print("Organisation \(organisation.apexDomains.joined(separator: ", "))")
            for account in organisation.accounts {
                print("  \(account.name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(account.id)  \(account.region)")
            }
            for result in try workspace.synthesize(workspace.catalog.names) {
                let environment = result.app.environment
                print("")
                print("Environment \(environment.name): account \(environment.account.id), \(environment.region), \(([environment.domain] + environment.zones).joined(separator: ", "))")
                for stack in result.app.stacks {
                    if stack.isTemplateOnly {
                        print("  \(stack.stackName) (StackSet template): \(stack.account.name) \(stack.account.id), \(stack.template.resources.count) resources")
                        continue
                    }
                    let kind = stack.isShared ? " (shared)" : ""
                    print("  \(stack.stackName)\(kind): \(stack.account.name) \(stack.account.id) \(stack.region), \(stack.template.resources.count) resources")
                }
            }
        }
    }
}
