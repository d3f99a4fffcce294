import Foundation
import Plan
import Synthesis

/// `synth deploy --hotswap`: when the only differences between a deployed stack and `out/` are
/// the code archives of Lambda functions, update the functions' code directly
/// (`aws lambda update-function-code`, then `aws lambda wait function-updated`) instead of
/// running CloudFormation. Anything else falls back to a normal deploy. Afterwards the stack
/// differs from its template (drift) until the next full deploy.
enum Hotswap {
    struct CodeChange {
        let logicalId: String
        let key: String
    }

    enum Decision {
        case functions([CodeChange])
        case fallBack(String)
    }

    static func plan(step: DeployPlan.Step, deployed: DeployedStack, deployedTemplate: String, planTemplate: String, parameters: [(String, String)]) -> Decision {
        guard let old = try? Document.parse(deployedTemplate), let new = try? Document.parse(planTemplate) else {
            return .fallBack("the deployed template cannot be read")
        }
        if let changed = parameters.first(where: { deployed.parameters[$0.0].map(DeployedStack.normalized) != DeployedStack.normalized($0.1) }) {
            return .fallBack("parameter \(changed.0) changed")
        }
        guard let diff = TemplateDiff.diff(environment: "", stack: step.id, old: old, new: new) else {
            return .fallBack("the deployed template differs only in form")
        }
        if let parameter = diff.parameters.first { return .fallBack("template parameter \(parameter.path) changed") }
        if let output = diff.outputs.first { return .fallBack("output \(output.path) changed") }
        if old["Description"] != new["Description"] { return .fallBack("the description changed") }
        var changes: [CodeChange] = []
        for resource in diff.resources {
            guard resource.action == .update, resource.type == "AWS::Lambda::Function" else {
                return .fallBack("\(resource.logicalId) (\(resource.type)) is \(resource.action == .add ? "added" : resource.action == .remove ? "removed" : resource.action == .replace ? "replaced" : "updated")")
            }
            if let other = resource.changes.first(where: { $0.path != "Code.S3Key" }) {
                return .fallBack("\(resource.logicalId) changes \(other.path), not only its code")
            }
            let entry = new["Resources"]?[resource.logicalId]
            guard let key = entry?["Properties"]?["Code"]?["S3Key"]?.text else { return .fallBack("\(resource.logicalId) has no S3 code") }
            changes.append(CodeChange(logicalId: resource.logicalId, key: key))
        }
        if changes.isEmpty { return .fallBack("nothing but code is expected to change, yet no function's code did") }
        return .functions(changes)
    }

    /// Updates each function's code and waits for it; returns the functions' names.
    static func apply(_ changes: [CodeChange], step: DeployPlan.Step, stackName: String, aws: AWSCLI, say: (String) -> Void) throws -> [String] {
        let bucket = step.assetBucket ?? AssetBucket.name(accountId: step.account.id, region: step.region)
        var names: [String] = []
        for change in changes {
            let resource = try aws.run(
                ["cloudformation", "describe-stack-resource", "--stack-name", stackName, "--logical-resource-id", change.logicalId, "--output", "json"],
                account: step.account, region: step.region)
            guard let detail = resource.json?["StackResourceDetail"] as? [String: Any], let name = detail["PhysicalResourceId"] as? String else {
                throw StepFailure(message: "stack \(stackName) has no function \(change.logicalId) to hotswap", hint: "deploy without --hotswap")
            }
            try aws.run(
                ["lambda", "update-function-code", "--function-name", name, "--s3-bucket", bucket, "--s3-key", change.key, "--output", "json"],
                account: step.account, region: step.region)
            try aws.run(["lambda", "wait", "function-updated", "--function-name", name], account: step.account, region: step.region)
            say("hotswapped \(change.logicalId) (\(name)) to s3://\(bucket)/\(change.key)")
            names.append(name)
        }
        say("stack \(stackName) now differs from its template (drift) until the next deploy without --hotswap")
        return names
    }
}
