import CloudFormation
import Foundation
import Plan
import Synthesis

/// What is deployed now for an environment's plan, laid out like `out/<env>/` so the offline
/// diff can compare it: each stack step's template read with `get-template` in its own account
/// and region (a stack that does not exist is left out, so it shows as added), and every other
/// file taken from `out/`. Parameters the plan would pass differently are listed apart.
enum DeployedOutput {
    struct Result {
        var files: [String: Data]
        /// `<stack>: parameter P is 'deployed', the plan passes 'planned'`.
        var parameterChanges: [String]
    }

    static func read(_ output: EnvironmentOutput, folder: URL, profiles: [String: String], endpointURL: String?) throws -> Result {
        let console = Console()
        let aws = AWSCLI(profiles: profiles, endpointURL: endpointURL, dryRun: false, bootstrapRoles: false, console: console)
        let runner = StepRunner(folder: folder, plan: output.plan, aws: aws, options: StepRunner.Options())
        var files = Dictionary(output.files.map { ($0.path, $0.contents) }, uniquingKeysWith: { first, _ in first })
        var changes: [String] = []
        for step in output.plan.stackSteps {
            guard let stackName = step.stackName, let template = step.template else { continue }
            do {
                guard let deployed = try DeployedStack.read(stackName, step: step, aws: aws), deployed.status != "REVIEW_IN_PROGRESS",
                    let body = try DeployedStack.template(stackName, step: step, aws: aws)
                else {
                    files[template] = nil
                    continue
                }
                files[template] = Data(body.utf8)
                for source in step.parameters ?? [] {
                    let planned: String
                    do { planned = try runner.value(of: source) } catch let missing as MissingOutput { planned = "<\(missing.step).\(missing.output), not deployed>" }
                    let current = deployed.parameters[source.parameter]
                    if current.map(DeployedStack.normalized) != DeployedStack.normalized(planned) {
                        changes.append("\(stackName): parameter \(source.parameter) is '\(current ?? "not set")', the plan passes '\(planned)'")
                    }
                }
            } catch let failure as StepFailure {
                throw DiagnosticError(Diagnostic(
                    "cannot read stack \(stackName) in \(step.account.name) (\(step.account.id)) \(step.region): \(failure.message)",
                    at: SourceLocation(file: "out/\(output.environment)/plan.json"), hint: failure.hint ?? "check the AWS CLI profile \(aws.profile(of: step.account))"))
            }
        }
        return Result(files: files, parameterChanges: changes)
    }
}
