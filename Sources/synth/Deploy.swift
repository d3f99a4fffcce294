import ArgumentParser
import CloudFormation
import Foundation
import Constructs
import Plan
import Synthesis

struct Deploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs an environment's deploy plan with the aws CLI, step by step, in order.",
        discussion: """
            Deploys exactly what out/<env>/ holds, so it first checks that out/<env>/ is what the \
            code produces. Uploads code assets with `aws s3 cp`, deploys each stack with `aws \
            cloudformation deploy` (or create-stack/update-stack and wait, with --method \
            create-update) with the capabilities it needs and the parameters the plan takes from \
            earlier steps' outputs (read with `aws cloudformation describe-stacks`). When a stack \
            returns no such output, the value is read from the resource itself (its physical id, \
            or a hosted zone's name servers through Route 53).

            Each account's credentials come from the AWS CLI profile named in its environment file \
            (`profile:`), by default the account's name (dev, network, management, cicd). A failure \
            stops the plan at that step with the tool's message and says which steps completed.

            Examples:
              synth deploy dev --dry-run
              synth deploy dev --only shared-ApexDns,dev-Dns,dev-Delegation
              synth deploy dev --endpoint-url http://127.0.0.1:5000 --method create-update
            """
    )

    enum Method: String, ExpressibleByArgument { case deploy, createUpdate = "create-update" }

    @Argument(help: "The environment whose plan to run.")
    var environment: String

    @Flag(name: .long, help: "Print the exact commands instead of running them.")
    var dryRun = false

    @Option(name: .long, help: "Send every AWS call to this endpoint (a local moto_server, for example).")
    var endpointUrl: String?

    @Option(name: .long, help: "Run only these steps (comma-separated step ids); the steps they depend on must already be deployed.")
    var only: String?

    @Option(name: .long, help: "deploy (change sets, the default) or create-update (create-stack/update-stack and wait).")
    var method: Method = .deploy

    @Option(name: .long, help: "Run only the steps in this account (its name or profile), as a pipeline that may act in one account does.")
    var account: String?

    @Flag(name: .long, help: "Have CloudFormation act as the bootstrap execution role stratus-cfn-exec-<region> of each account.")
    var bootstrapRoles = false

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
            let runner = AWSRunner(
                folder: folder, profiles: profiles, endpointURL: endpointUrl, dryRun: dryRun, method: method, plan: plan,
                bootstrapRoles: bootstrapRoles)
            var completed: [String] = []
            for step in steps {
                do {
                    try runner.run(step)
                    completed.append(step.id)
                    if !dryRun { print("done: \(step.id)") }
                } catch let failure as StepFailure {
                    FileHandle.standardError.write(Data("""
                        out/\(environment)/plan.json: error: step \(step.id) failed: \(failure.message)
                          completed: \(completed.isEmpty ? "none" : completed.joined(separator: ", "))
                          not run: \(steps.drop { $0.id != step.id }.map(\.id).joined(separator: ", "))

                        """.utf8))
                    throw ExitCode(1)
                }
            }
            if !dryRun { print("deployed \(completed.count) step\(completed.count == 1 ? "" : "s") of \(environment)") }
        }
    }
}

struct StepFailure: Error {
    let message: String
}

/// Runs plan steps with the aws CLI.
final class AWSRunner {
    let folder: URL
    let profiles: [String: String]
    let endpointURL: String?
    let dryRun: Bool
    let method: Deploy.Method
    let plan: DeployPlan
    let bootstrapRoles: Bool
    /// Outputs read so far, by step id.
    private var outputs: [String: [String: String]] = [:]

    init(folder: URL, profiles: [String: String], endpointURL: String?, dryRun: Bool, method: Deploy.Method, plan: DeployPlan, bootstrapRoles: Bool = false) {
        self.bootstrapRoles = bootstrapRoles
        self.folder = folder
        self.profiles = profiles
        self.endpointURL = endpointURL
        self.dryRun = dryRun
        self.method = method
        self.plan = plan
    }

    func run(_ step: DeployPlan.Step) throws {
        switch step.action {
        case .uploadAssets:
            for upload in step.uploads ?? [] {
                _ = try aws(["s3", "cp", folder.appendingPathComponent(upload.file).path, "s3://\(upload.bucket)/\(upload.key)"], step: step)
            }
        case .deployStack:
            try deployStack(step)
        }
    }

    private func common(_ step: DeployPlan.Step) -> [String] {
        var arguments = ["--region", step.region, "--profile", profiles[step.account.id] ?? step.account.name]
        if let endpointURL { arguments += ["--endpoint-url", endpointURL] }
        return arguments
    }

    @discardableResult
    private func aws(_ arguments: [String], step: DeployPlan.Step, allowFailure: Bool = false) throws -> (status: Int32, output: String, error: String) {
        let full = arguments + common(step)
        if dryRun {
            print((["aws"] + full).map(Self.shellQuoted).joined(separator: " "))
            return (0, "", "")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["aws"] + full
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("synth-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw StepFailure(message: "cannot run the aws CLI (\(error.localizedDescription)); install it with pip install awscli")
        }
        process.waitUntilExit()
        let output = String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self)
        let message = String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self)
        if process.terminationStatus != 0 && !allowFailure {
            throw StepFailure(message: "aws \(arguments.prefix(2).joined(separator: " ")) exited \(process.terminationStatus): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return (process.terminationStatus, output, message)
    }

    private func deployStack(_ step: DeployPlan.Step) throws {
        guard let stackName = step.stackName, let template = step.template else { return }
        var parameters: [(String, String)] = []
        for source in step.parameters ?? [] {
            parameters.append((source.parameter, try value(of: source)))
        }
        let templatePath = folder.appendingPathComponent(template).path
        let capabilities = step.capabilities ?? []
        let roleArguments = bootstrapRoles
            ? ["--role-arn", "arn:aws:iam::\(step.account.id):role/\(Bootstrap.executionRoleName(region: step.region))"] : []
        switch method {
        case .deploy:
            var arguments = ["cloudformation", "deploy", "--template-file", templatePath, "--stack-name", stackName, "--no-fail-on-empty-changeset"]
            if !capabilities.isEmpty { arguments += ["--capabilities"] + capabilities }
            arguments += roleArguments
            if !parameters.isEmpty { arguments += ["--parameter-overrides"] + parameters.map { "\($0.0)=\($0.1)" } }
            try aws(arguments, step: step)
        case .createUpdate:
            let exists = try aws(["cloudformation", "describe-stacks", "--stack-name", stackName], step: step, allowFailure: true).status == 0
            var arguments = ["cloudformation", exists ? "update-stack" : "create-stack", "--stack-name", stackName, "--template-body", "file://\(templatePath)"]
            if !capabilities.isEmpty { arguments += ["--capabilities"] + capabilities }
            arguments += roleArguments
            if !parameters.isEmpty {
                let json = parameters.map { ["ParameterKey": $0.0, "ParameterValue": $0.1] }
                let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
                arguments += ["--parameters", String(decoding: data, as: UTF8.self)]
            }
            let result = try aws(arguments, step: step, allowFailure: exists)
            if result.status != 0 {
                if result.error.contains("No updates are to be performed") { return }
                throw StepFailure(message: "aws cloudformation update-stack exited \(result.status): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            try aws(["cloudformation", "wait", exists ? "stack-update-complete" : "stack-create-complete", "--stack-name", stackName], step: step)
        }
    }

    /// The value of a parameter: the producer's output, or, when the stack has no such output,
    /// the resource behind it.
    private func value(of source: DeployPlan.ParameterSource) throws -> String {
        if dryRun { return "<\(source.fromStep).\(source.output)>" }
        guard let producer = plan.steps.first(where: { $0.id == source.fromStep }), let stackName = producer.stackName else {
            throw StepFailure(message: "the plan has no step \(source.fromStep)")
        }
        if outputs[producer.id] == nil {
            let result = try aws(["cloudformation", "describe-stacks", "--stack-name", stackName, "--output", "json"], step: producer)
            var values: [String: String] = [:]
            if let data = result.output.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let stacks = json["Stacks"] as? [[String: Any]], let first = stacks.first
            {
                for output in first["Outputs"] as? [[String: Any]] ?? [] {
                    if let key = output["OutputKey"] as? String, let value = output["OutputValue"] as? String { values[key] = value }
                }
            }
            outputs[producer.id] = values
        }
        if let value = outputs[producer.id]?[source.output] { return value }
        guard let origin = producer.outputSources?.first(where: { $0.output == source.output }) else {
            throw StepFailure(message: "stack \(stackName) has no output \(source.output); deploy \(producer.id) first")
        }
        let resource = try aws(
            ["cloudformation", "describe-stack-resource", "--stack-name", stackName, "--logical-resource-id", origin.logicalId, "--output", "json"],
            step: producer)
        guard let data = resource.output.data(using: .utf8),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let detail = json["StackResourceDetail"] as? [String: Any], let physicalId = detail["PhysicalResourceId"] as? String
        else {
            throw StepFailure(message: "stack \(stackName) has no output \(source.output) and no resource \(origin.logicalId)")
        }
        switch (origin.resourceType, origin.attribute) {
        case (_, nil):
            return physicalId
        case ("AWS::Route53::HostedZone", "NameServers"?):
            let zone = try aws(["route53", "get-hosted-zone", "--id", physicalId, "--output", "json"], step: producer)
            guard let data = zone.output.data(using: .utf8),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let delegation = json["DelegationSet"] as? [String: Any], let servers = delegation["NameServers"] as? [String]
            else { throw StepFailure(message: "cannot read the name servers of hosted zone \(physicalId)") }
            return servers.joined(separator: ",")
        default:
            throw StepFailure(message: "stack \(stackName) has no output \(source.output), and Stratus cannot read \(origin.resourceType).\(origin.attribute ?? "") directly")
        }
    }

    static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=,@+".contains($0)) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
