import Constructs
import Foundation
import Plan

/// Runs one plan step with the aws CLI: uploads, or a stack deploy that first looks at what
/// CloudFormation holds (skip when unchanged, explain a stack that cannot be updated, replace a
/// failed new stack when asked, hotswap function code when asked), then waits for the bootstrap
/// StackSet's instances where the step says so.
final class StepRunner: @unchecked Sendable {
    struct Options {
        var method: Deploy.Method = .deploy
        var bootstrapRoles = false
        var replaceFailed = false
        var hotswap = false
        var pollInterval: Double = 10
        var stackSetTimeout: Double = 1800
    }

    /// What a step came to.
    enum Outcome: Equatable {
        case deployed
        case unchanged
        case hotswapped([String])
        case uploaded(Int)
    }

    let folder: URL
    let plan: DeployPlan
    let aws: AWSCLI
    let options: Options
    private let lock = NSLock()
    /// Outputs read so far, by step id.
    private var outputs: [String: [String: String]] = [:]

    init(folder: URL, plan: DeployPlan, aws: AWSCLI, options: Options) {
        self.folder = folder
        self.plan = plan
        self.aws = aws
        self.options = options
    }

    private func say(_ step: DeployPlan.Step, _ text: String) { aws.console.say(aws.dryRun ? nil : step.id, text) }

    func run(_ step: DeployPlan.Step) throws -> Outcome {
        let outcome: Outcome
        switch step.action {
        case .uploadAssets: outcome = try upload(step)
        case .deployStack: outcome = try deployStack(step)
        }
        if let instances = step.stackSetInstances, !aws.dryRun {
            try StackSetWaiter(aws: aws, step: step, instances: instances, interval: options.pollInterval, timeout: options.stackSetTimeout) { self.say(step, $0) }.wait()
        }
        return outcome
    }

    // MARK: - Uploads

    private func upload(_ step: DeployPlan.Step) throws -> Outcome {
        let uploads = step.uploads ?? []
        var sent = 0
        for upload in uploads {
            if !aws.dryRun {
                // Archives are named by their hash: one already there is the same archive.
                let head = try aws.run(["s3api", "head-object", "--bucket", upload.bucket, "--key", upload.key], account: step.account, region: step.region, allowFailure: true)
                if head.status == 0 { continue }
            }
            try aws.run(["s3", "cp", folder.appendingPathComponent(upload.file).path, "s3://\(upload.bucket)/\(upload.key)"], account: step.account, region: step.region)
            sent += 1
        }
        return sent == 0 && !aws.dryRun ? .unchanged : .uploaded(sent)
    }

    // MARK: - Stacks

    private func deployStack(_ step: DeployPlan.Step) throws -> Outcome {
        guard let stackName = step.stackName, let template = step.template else { return .unchanged }
        var parameters: [(String, String)] = []
        for source in step.parameters ?? [] {
            parameters.append((source.parameter, try value(of: source)))
        }
        let templateURL = folder.appendingPathComponent(template)
        let body = (try? String(contentsOf: templateURL, encoding: .utf8)) ?? ""
        var deployed: DeployedStack? = nil
        if !aws.dryRun {
            deployed = try DeployedStack.read(stackName, step: step, aws: aws)
            if let current = deployed {
                deployed = try prepare(current, step: step, stackName: stackName, body: body)
            }
            if let current = deployed, current.isSettled {
                let deployedTemplate = try DeployedStack.template(stackName, step: step, aws: aws)
                if DeployedStack.matches(deployed: current, template: deployedTemplate, planTemplate: body, parameters: parameters) {
                    return .unchanged
                }
                if options.hotswap, let deployedTemplate {
                    switch Hotswap.plan(step: step, deployed: current, deployedTemplate: deployedTemplate, planTemplate: body, parameters: parameters) {
                    case .functions(let changes):
                        return .hotswapped(try Hotswap.apply(changes, step: step, stackName: stackName, aws: aws, say: { self.say(step, $0) }))
                    case .fallBack(let reason):
                        say(step, "not hotswappable (\(reason)): deploying with CloudFormation")
                    }
                }
            }
        }
        try deploy(step, stackName: stackName, templatePath: templateURL.path, size: body.utf8.count, parameters: parameters, exists: deployed != nil)
        return .deployed
    }

    /// Handles a stack CloudFormation will not update as it is; returns the stack to update, or
    /// nil when it has to be created (again).
    private func prepare(_ stack: DeployedStack, step: DeployPlan.Step, stackName: String, body: String) throws -> DeployedStack? {
        switch stack.status {
        case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED":
            let reason = DeployedStack.firstFailure(stackName, step: step, aws: aws)
            guard options.replaceFailed else {
                throw StepFailure(
                    message: "stack \(stackName) is in \(stack.status): its creation failed\(reason.map { " (\($0))" } ?? ""), and CloudFormation cannot update a stack that was never created",
                    hint: "fix the cause, then run again with --replace-failed to delete the stack and create it anew",
                    stackStatus: stack.status)
            }
            let retained = try retainedResources(step: step, stackName: stackName, body: body)
            if !retained.isEmpty {
                throw StepFailure(
                    message: "stack \(stackName) is in \(stack.status) but holds retained stateful resources (\(retained.joined(separator: ", "))), so --replace-failed will not delete it",
                    hint: "delete or import those resources yourself (aws cloudformation delete-stack --retain-resources keeps them), then deploy again",
                    stackStatus: stack.status)
            }
            say(step, "stack is in \(stack.status); deleting it to create it again (--replace-failed)")
            try aws.run(["cloudformation", "delete-stack", "--stack-name", stackName], account: step.account, region: step.region)
            try aws.run(["cloudformation", "wait", "stack-delete-complete", "--stack-name", stackName], account: step.account, region: step.region)
            return nil
        case "REVIEW_IN_PROGRESS":
            // Only a change set that was never executed: there is nothing to update yet.
            if options.method == .createUpdate {
                try aws.run(["cloudformation", "delete-stack", "--stack-name", stackName], account: step.account, region: step.region)
                try aws.run(["cloudformation", "wait", "stack-delete-complete", "--stack-name", stackName], account: step.account, region: step.region)
            }
            return nil
        case "UPDATE_ROLLBACK_FAILED":
            throw StepFailure(
                message: "stack \(stackName) is in UPDATE_ROLLBACK_FAILED: an update failed and so did its rollback\(DeployedStack.firstFailure(stackName, step: step, aws: aws).map { " (\($0))" } ?? "")",
                hint: "fix the resource that blocks the rollback, then run aws cloudformation continue-update-rollback --stack-name \(stackName) (--resources-to-skip for resources that cannot be fixed), and deploy again",
                stackStatus: stack.status)
        case let status where status.hasSuffix("_IN_PROGRESS"):
            throw StepFailure(
                message: "stack \(stackName) is busy (\(status))", hint: "wait for the running operation to finish, then deploy again", stackStatus: status)
        default:
            return stack
        }
    }

    /// Resources of the stack that still exist and that the template retains on deletion.
    private func retainedResources(step: DeployPlan.Step, stackName: String, body: String) throws -> [String] {
        let deployedTemplate = (try? DeployedStack.template(stackName, step: step, aws: aws)) ?? nil
        var retain = Set<String>()
        for text in [deployedTemplate, body].compactMap({ $0 }) {
            for entry in (try? Document.parse(text))?["Resources"]?.entries ?? [] where ["Retain", "RetainExceptOnCreate"].contains(entry.value["DeletionPolicy"]?.text ?? "") {
                retain.insert(entry.key)
            }
        }
        if retain.isEmpty { return [] }
        let listed = try aws.run(["cloudformation", "list-stack-resources", "--stack-name", stackName, "--output", "json"], account: step.account, region: step.region)
        let resources = listed.json?["StackResourceSummaries"] as? [[String: Any]] ?? []
        return resources.compactMap { resource -> String? in
            guard let id = resource["LogicalResourceId"] as? String, retain.contains(id) else { return nil }
            let status = resource["ResourceStatus"] as? String ?? ""
            let exists = resource["PhysicalResourceId"] as? String != nil && status != "DELETE_COMPLETE" && status != "CREATE_FAILED"
            return exists ? "\(id) \(resource["ResourceType"] as? String ?? "")" : nil
        }.sorted()
    }

    private func deploy(_ step: DeployPlan.Step, stackName: String, templatePath: String, size: Int, parameters: [(String, String)], exists: Bool) throws {
        let capabilities = step.capabilities ?? []
        let roleArguments = options.bootstrapRoles
            ? ["--role-arn", "arn:aws:iam::\(step.account.id):role/\(Bootstrap.executionRoleName(region: step.region))"] : []
        // Templates over 51,200 bytes go through the bootstrap's asset bucket (synth refuses them
        // where there is none, and above CloudFormation's 1 MB).
        let bucket = size > DeployPlan.inlineTemplateLimit ? step.assetBucket : nil
        if size > DeployPlan.inlineTemplateLimit && bucket == nil {
            throw StepFailure(message: "template \(step.template ?? "") is \(size) bytes, over the 51,200 CloudFormation takes inline, and account \(step.account.name) has no asset bucket to send it through")
        }
        do {
            switch options.method {
            case .deploy:
                var arguments = ["cloudformation", "deploy", "--template-file", templatePath, "--stack-name", stackName, "--no-fail-on-empty-changeset"]
                if let bucket { arguments += ["--s3-bucket", bucket, "--s3-prefix", "templates/\(stackName)"] }
                if !capabilities.isEmpty { arguments += ["--capabilities"] + capabilities }
                arguments += roleArguments
                if !parameters.isEmpty { arguments += ["--parameter-overrides"] + parameters.map { "\($0.0)=\($0.1)" } }
                try aws.run(arguments, account: step.account, region: step.region)
            case .createUpdate:
                var arguments = ["cloudformation", exists ? "update-stack" : "create-stack", "--stack-name", stackName]
                if let bucket {
                    let key = "templates/\(stackName)/\(UUID().uuidString).template.yaml"
                    try aws.run(["s3", "cp", templatePath, "s3://\(bucket)/\(key)"], account: step.account, region: step.region)
                    arguments += ["--template-url", "https://\(bucket).s3.\(step.region).amazonaws.com/\(key)"]
                } else {
                    arguments += ["--template-body", "file://\(templatePath)"]
                }
                if !capabilities.isEmpty { arguments += ["--capabilities"] + capabilities }
                arguments += roleArguments
                if !parameters.isEmpty {
                    let json = parameters.map { ["ParameterKey": $0.0, "ParameterValue": $0.1] }
                    let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
                    arguments += ["--parameters", String(decoding: data, as: UTF8.self)]
                }
                let result = try aws.run(arguments, account: step.account, region: step.region, allowFailure: exists)
                if result.status != 0 {
                    if result.error.contains("No updates are to be performed") { return }
                    throw StepFailure(message: "aws cloudformation update-stack exited \(result.status): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
                }
                try aws.run(["cloudformation", "wait", exists ? "stack-update-complete" : "stack-create-complete", "--stack-name", stackName], account: step.account, region: step.region)
            }
        } catch var failure as StepFailure where !aws.dryRun {
            // Say what CloudFormation says: the stack's status and the first resource that failed.
            if let stack = try? DeployedStack.read(stackName, step: step, aws: aws) {
                let reason = DeployedStack.firstFailure(stackName, step: step, aws: aws)
                failure.stackStatus = stack.status + (reason.map { ", first failure: \($0)" } ?? "")
            }
            throw failure
        }
    }

    // MARK: - Parameters

    /// The value of a parameter: the producer's output, or, when the stack has no such output,
    /// the resource behind it.
    func value(of source: DeployPlan.ParameterSource) throws -> String {
        if aws.dryRun { return "<\(source.fromStep).\(source.output)>" }
        guard let producer = plan.steps.first(where: { $0.id == source.fromStep }), let stackName = producer.stackName else {
            throw StepFailure(message: "the plan has no step \(source.fromStep)")
        }
        lock.lock()
        var known = outputs[producer.id]
        lock.unlock()
        if known == nil {
            guard let stack = try DeployedStack.read(stackName, step: producer, aws: aws) else {
                throw MissingOutput(step: producer.id, output: source.output, message: "stack \(stackName) does not exist yet, so its output \(source.output) is unknown")
            }
            known = stack.outputs
            lock.lock()
            outputs[producer.id] = stack.outputs
            lock.unlock()
        }
        if let value = known?[source.output] { return value }
        guard let origin = producer.outputSources?.first(where: { $0.output == source.output }) else {
            throw MissingOutput(step: producer.id, output: source.output, message: "stack \(stackName) has no output \(source.output); deploy \(producer.id) first")
        }
        let resource = try aws.run(
            ["cloudformation", "describe-stack-resource", "--stack-name", stackName, "--logical-resource-id", origin.logicalId, "--output", "json"],
            account: producer.account, region: producer.region, allowFailure: true)
        guard let detail = resource.json?["StackResourceDetail"] as? [String: Any], let physicalId = detail["PhysicalResourceId"] as? String else {
            throw MissingOutput(step: producer.id, output: source.output, message: "stack \(stackName) has no output \(source.output) and no resource \(origin.logicalId) yet")
        }
        switch (origin.resourceType, origin.attribute) {
        case (_, nil):
            return physicalId
        case ("AWS::Route53::HostedZone", "NameServers"?):
            let zone = try aws.run(["route53", "get-hosted-zone", "--id", physicalId, "--output", "json"], account: producer.account, region: producer.region)
            guard let delegation = zone.json?["DelegationSet"] as? [String: Any], let servers = delegation["NameServers"] as? [String] else {
                throw StepFailure(message: "cannot read the name servers of hosted zone \(physicalId)")
            }
            return servers.joined(separator: ",")
        default:
            throw StepFailure(message: "stack \(stackName) has no output \(source.output), and Stratus cannot read \(origin.resourceType).\(origin.attribute ?? "") directly")
        }
    }
}

/// A parameter whose producer has not made the output yet.
struct MissingOutput: Error {
    let step: String
    let output: String
    let message: String
}
