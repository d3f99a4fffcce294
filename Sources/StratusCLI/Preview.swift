import Foundation
import Plan

/// `synth deploy --preview`: one change set per stack step, created and described but never
/// executed, then deleted (with the empty stack CloudFormation makes for a new stack's change
/// set). Prints CloudFormation's own view of each change, `Replacement: True/Conditional`
/// included. Nothing is deployed, so a step whose parameters need an output that does not exist
/// yet says so instead of guessing.
struct Preview {
    let runner: StepRunner
    var aws: AWSCLI { runner.aws }

    /// Previews `steps`; returns the number of steps that could not be previewed.
    func run(_ steps: [DeployPlan.Step]) -> Int {
        var problems = 0
        for step in steps {
            do {
                try preview(step)
            } catch let missing as MissingOutput {
                aws.console.say(step.id, "cannot preview: \(missing.message); it needs \(missing.step).\(missing.output), which does not exist until \(missing.step) is deployed")
            } catch let failure as StepFailure {
                aws.console.say(step.id, "cannot preview: \(failure.message)")
                problems += 1
            } catch {
                aws.console.say(step.id, "cannot preview: \(error)")
                problems += 1
            }
        }
        return problems
    }

    private func preview(_ step: DeployPlan.Step) throws {
        guard step.action == .deployStack, let stackName = step.stackName, let template = step.template else {
            if step.action == .uploadAssets { aws.console.say(step.id, "uploads \(step.uploads?.count ?? 0) code archive(s); nothing to preview") }
            return
        }
        var parameters: [[String: String]] = []
        for source in step.parameters ?? [] {
            parameters.append(["ParameterKey": source.parameter, "ParameterValue": try runner.value(of: source)])
        }
        var deployed = try DeployedStack.read(stackName, step: step, aws: aws)
        if deployed?.status == "REVIEW_IN_PROGRESS" { deployed = nil }
        if let deployed, !deployed.isSettled {
            aws.console.say(step.id, "stack is in \(deployed.status); CloudFormation would refuse a change set (see synth deploy without --preview)")
            return
        }
        let path = runner.folder.appendingPathComponent(template).path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let changeSet = "stratus-preview-\(UUID().uuidString.prefix(8).lowercased())"
        var arguments = ["cloudformation", "create-change-set", "--stack-name", stackName, "--change-set-name", changeSet,
                         "--change-set-type", deployed == nil ? "CREATE" : "UPDATE", "--output", "json"]
        if size > DeployPlan.inlineTemplateLimit, let bucket = step.assetBucket {
            let key = "templates/\(stackName)/\(changeSet).template.yaml"
            try aws.run(["s3", "cp", path, "s3://\(bucket)/\(key)"], account: step.account, region: step.region)
            arguments += ["--template-url", "https://\(bucket).s3.\(step.region).amazonaws.com/\(key)"]
        } else {
            arguments += ["--template-body", "file://\(path)"]
        }
        if let capabilities = step.capabilities, !capabilities.isEmpty { arguments += ["--capabilities"] + capabilities }
        if !parameters.isEmpty {
            let data = (try? JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys])) ?? Data()
            arguments += ["--parameters", String(decoding: data, as: UTF8.self)]
        }
        try aws.run(arguments, account: step.account, region: step.region)
        defer {
            _ = try? aws.run(["cloudformation", "delete-change-set", "--stack-name", stackName, "--change-set-name", changeSet], account: step.account, region: step.region, allowFailure: true)
            if deployed == nil {
                // The change set of a new stack creates it in REVIEW_IN_PROGRESS: remove it again.
                _ = try? aws.run(["cloudformation", "delete-stack", "--stack-name", stackName], account: step.account, region: step.region, allowFailure: true)
            }
        }
        _ = try aws.run(["cloudformation", "wait", "change-set-create-complete", "--stack-name", stackName, "--change-set-name", changeSet],
                        account: step.account, region: step.region, allowFailure: true)
        let described = try aws.run(["cloudformation", "describe-change-set", "--stack-name", stackName, "--change-set-name", changeSet, "--output", "json"],
                                    account: step.account, region: step.region)
        let json = described.json ?? [:]
        let status = json["Status"] as? String ?? "?"
        let reason = json["StatusReason"] as? String ?? ""
        let changes = (json["Changes"] as? [[String: Any]] ?? []).compactMap { $0["ResourceChange"] as? [String: Any] }
        if status == "FAILED" {
            if reason.contains("didn't contain changes") || reason.contains("No updates") {
                aws.console.say(step.id, "no changes")
                return
            }
            throw StepFailure(message: "change set \(changeSet) failed: \(reason)")
        }
        let header = deployed == nil ? "new stack \(stackName)" : "update of \(stackName)"
        var lines = ["\(header): \(changes.count) resource change\(changes.count == 1 ? "" : "s") (CloudFormation change set, not executed)"]
        for change in changes {
            let action = change["Action"] as? String ?? "?"
            var line = "  \(action) \(change["LogicalResourceId"] as? String ?? "?") (\(change["ResourceType"] as? String ?? "?"))"
            if action == "Modify" { line += " Replacement: \(change["Replacement"] as? String ?? "?")" }
            let scopes = (change["Details"] as? [[String: Any]] ?? []).compactMap { ($0["Target"] as? [String: Any])?["Name"] as? String }
            if !scopes.isEmpty { line += " [\(scopes.joined(separator: ", "))]" }
            lines.append(line)
        }
        aws.console.say(step.id, lines.joined(separator: "\n"))
    }
}
