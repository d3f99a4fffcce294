import ArgumentParser
import CloudFormation
import Foundation
import Constructs
import Plan
import Synthesis

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs an environment's deploy plan with the aws CLI, in parallel waves.",
        discussion: """
            Deploys exactly what out/<env>/ holds, so it first checks that out/<env>/ is what the \
            code produces. Every step whose dependencies are done starts, up to --concurrency at \
            once; each line of output is prefixed with its step id. Uploads code assets with `aws \
            s3 cp`, deploys each stack with `aws cloudformation deploy` (or create-stack/update-stack \
            and wait, with --method create-update) with the capabilities it needs and the parameters \
            the plan takes from earlier steps' outputs (read with `aws cloudformation \
            describe-stacks`; when a stack returns no such output, from the resource itself). \
            Templates over 51,200 bytes go through the account's asset bucket. After the bootstrap \
            StackSet's step, it waits until the StackSet's instances in the environment's accounts \
            and regions are CURRENT.

            A step whose deployed template and parameters already equal the plan's is skipped \
            ("unchanged, skipped"), so running again after a failure resumes at the failed step. \
            A failure starts no new step; running steps finish, and the summary lists the steps \
            completed, failed (with the stack's status and the first failed resource) and not run. \
            A new stack whose creation failed (ROLLBACK_COMPLETE) is deleted and created again with \
            --replace-failed, unless it holds retained resources.

            --preview creates one change set per stack without executing it, prints what \
            CloudFormation would do (Replacement: True/Conditional) and deletes it again. \
            --hotswap (not where the environment file says hotswap: false) updates Lambda code \
            directly when that is the only difference, and deploys normally otherwise.

            Each account's credentials come from the AWS CLI profile named in its environment file \
            (`profile:`), by default the account's name (dev, network, management, cicd); with \
            --bootstrap-roles, from the bootstrap role stratus-deploy-<region> of each step's account \
            and region, assumed with that profile.

            Examples:
              synth deploy dev --dry-run
              synth deploy dev --preview
              synth deploy dev --concurrency 8
              synth deploy dev --only shared-ApexDns,dev-Dns,dev-Delegation
              synth deploy tst --hotswap
              synth deploy dev --endpoint-url http://127.0.0.1:5000 --method create-update
            """
    )

    enum Method: String, ExpressibleByArgument { case deploy, createUpdate = "create-update" }

    @Argument(help: "The environment whose plan to run.")
    var environment: String

    @Flag(name: .long, help: "Print the exact commands, in plan order, instead of running them.")
    var dryRun = false

    @Flag(name: .long, help: "Create a change set per stack, print what CloudFormation would change, and delete them; deploy nothing.")
    var preview = false

    @Option(name: .long, help: "How many steps may run at once (1 runs the plan one step at a time).")
    var concurrency = 4

    @Flag(name: .long, help: "Delete and create again a new stack whose creation failed (ROLLBACK_COMPLETE), unless it holds retained resources.")
    var replaceFailed = false

    @Flag(name: .long, help: "When only Lambda code changed in a stack, update the functions directly instead of through CloudFormation.")
    var hotswap = false

    @Option(name: .long, help: "Send every AWS call to this endpoint (a local moto_server, for example).")
    var endpointUrl: String?

    @Option(name: .long, help: "Run only these steps (comma-separated step ids); the steps they depend on must already be deployed.")
    var only: String?

    @Option(name: .long, help: "deploy (change sets, the default) or create-update (create-stack/update-stack and wait).")
    var method: Method = .deploy

    @Option(name: .long, help: "Run only the steps in this account (its name or profile), as a pipeline that may act in one account does.")
    var account: String?

    @Flag(name: .long, help: "Deploy as the bootstrap role stratus-deploy-<region> of each step's account and region, with CloudFormation acting as stratus-cfn-exec-<region>.")
    var bootstrapRoles = false

    @Option(name: .long, help: "Seconds between looks at StackSet instances while waiting for them.")
    var pollInterval: Double = 10

    @Option(name: .long, help: "Seconds to wait for StackSet instances to become CURRENT before failing.")
    var stackSetTimeout: Double = 1800

    @OptionGroup var options: CommonOptions

    func run() throws {
        try reportingDiagnostics {
            let workspace = try Workspace(options)
            guard let result = try workspace.synthesize([environment]).first else { return }
            let folder = workspace.outDirectory.appendingPathComponent(environment)
            let diff = OutputDiff.diff(new: result.output, old: OutputFolder.read(folder))
            if !diff.isEmpty {
                throw DiagnosticError(Diagnostic(
                    "out/\(environment) is not what the code produces (\(diff.files.prefix(5).joined(separator: ", ")))",
                    at: SourceLocation(file: "out/\(environment)/"), hint: "run swift run synth \(environment), review the change, then deploy"))
            }
            if hotswap && !result.app.environment.hotswap {
                throw DiagnosticError(Diagnostic(
                    "\(environment) forbids hotswap (hotswap: false), so every change goes through CloudFormation",
                    at: SourceLocation(file: result.app.environment.file), hint: "deploy without --hotswap"))
            }
            if concurrency < 1 {
                throw DiagnosticError(Diagnostic("--concurrency must be 1 or more, not \(concurrency)", at: SourceLocation(file: "synth deploy"), hint: "e.g. --concurrency 4 (the default)"))
            }
            let plan = result.output.plan
            var steps = plan.steps
            if let only {
                let wanted = only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let unknown = wanted.filter { id in !plan.steps.contains { $0.id == id } }
                if !unknown.isEmpty {
                    throw DiagnosticError(Diagnostic(
                        "unknown step\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")) in out/\(environment)/plan.json",
                        at: SourceLocation(file: "out/\(environment)/plan.json"), hint: "steps: \(plan.steps.map(\.id).joined(separator: ", "))"))
                }
                steps = plan.steps.filter { wanted.contains($0.id) }
            }
            var profiles: [String: String] = [:]
            for account in result.app.organisation.accounts + [result.app.environment.account] { profiles[account.id] = account.profile }
            if let account {
                let ids = profiles.filter { $0.value == account }.map(\.key) + plan.steps.filter { $0.account.name == account }.map(\.account.id)
                steps = steps.filter { ids.contains($0.account.id) }
            }
            let console = Console()
            let aws = AWSCLI(profiles: profiles, endpointURL: endpointUrl, dryRun: dryRun, bootstrapRoles: bootstrapRoles, console: console)
            let runner = StepRunner(folder: folder, plan: plan, aws: aws, options: StepRunner.Options(
                method: method, bootstrapRoles: bootstrapRoles, replaceFailed: replaceFailed, hotswap: hotswap,
                pollInterval: pollInterval, stackSetTimeout: stackSetTimeout))
            if preview {
                let problems = Preview(runner: runner).run(steps)
                if problems > 0 { throw ExitCode(1) }
                return
            }
            if dryRun {
                for step in steps {
                    do { _ = try runner.run(step) } catch let failure as StepFailure { console.error("\(step.id): \(failure.message)") }
                }
                return
            }
            let start = Date()
            let summary = DeployScheduler(steps: steps, concurrency: concurrency, console: console) { try runner.run($0) }.run()
            let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
            func list(_ ids: [String]) -> String { ids.isEmpty ? "none" : ids.joined(separator: ", ") }
            if summary.failed.isEmpty {
                console.say(nil, "deployed \(environment) in \(seconds) s: \(summary.completed.count) step\(summary.completed.count == 1 ? "" : "s") done, \(summary.skipped.count) unchanged")
                return
            }
            var text = ""
            for (step, failure) in summary.failed {
                text += "out/\(environment)/plan.json: error: step \(step) failed: \(failure.message)\n"
                if let status = failure.stackStatus { text += "  stack status: \(status)\n" }
                if let hint = failure.hint { text += "  hint: \(hint)\n" }
            }
            text += "  completed: \(list(summary.completed))\n"
            text += "  unchanged: \(list(summary.skipped))\n"
            text += "  failed: \(list(summary.failed.map(\.step)))\n"
            text += "  not run: \(list(summary.notRun))\n"
            text += "  hint: fix the failure and run the same command again; steps already deployed are skipped\n"
            console.error(text)
            throw ExitCode(1)
        }
    }
}
