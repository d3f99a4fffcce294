import Foundation
import Plan

/// What CloudFormation holds for one stack now: its status, parameters and outputs
/// (`describe-stacks`) and, on request, its template (`get-template`).
struct DeployedStack {
    let name: String
    let status: String
    let parameters: [String: String]
    let outputs: [String: String]

    /// Statuses after which CloudFormation accepts an update.
    static let settled: Set<String> = [
        "CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE",
    ]

    var isSettled: Bool { Self.settled.contains(status) }

    /// The stack, or nil when there is none (or only a deleted one).
    static func read(_ name: String, step: DeployPlan.Step, aws: AWSCLI) throws -> DeployedStack? {
        let result = try aws.run(["cloudformation", "describe-stacks", "--stack-name", name, "--output", "json"], account: step.account, region: step.region, allowFailure: true)
        guard result.status == 0 else {
            if result.error.contains("does not exist") || result.error.contains("ValidationError") { return nil }
            throw StepFailure(message: "aws cloudformation describe-stacks exited \(result.status): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard let stack = (result.json?["Stacks"] as? [[String: Any]])?.first, let status = stack["StackStatus"] as? String else { return nil }
        if status == "DELETE_COMPLETE" { return nil }
        var parameters: [String: String] = [:]
        for parameter in stack["Parameters"] as? [[String: Any]] ?? [] {
            if let key = parameter["ParameterKey"] as? String { parameters[key] = parameter["ParameterValue"] as? String ?? "" }
        }
        var outputs: [String: String] = [:]
        for output in stack["Outputs"] as? [[String: Any]] ?? [] {
            if let key = output["OutputKey"] as? String, let value = output["OutputValue"] as? String { outputs[key] = value }
        }
        return DeployedStack(name: name, status: status, parameters: parameters, outputs: outputs)
    }

    /// The template CloudFormation was given, as text.
    static func template(_ name: String, step: DeployPlan.Step, aws: AWSCLI) throws -> String? {
        let result = try aws.run(
            ["cloudformation", "get-template", "--stack-name", name, "--template-stage", "Original", "--output", "json"],
            account: step.account, region: step.region, allowFailure: true)
        guard result.status == 0, let body = result.json?["TemplateBody"] else { return nil }
        if let text = body as? String { return text }
        // The CLI parses JSON templates into objects; give them back as JSON text (YAML reads it).
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The reason of the first resource that failed in the stack's latest operation, if any.
    static func firstFailure(_ name: String, step: DeployPlan.Step, aws: AWSCLI) -> String? {
        guard let result = try? aws.run(["cloudformation", "describe-stack-events", "--stack-name", name, "--output", "json"], account: step.account, region: step.region, allowFailure: true),
            result.status == 0, let events = result.json?["StackEvents"] as? [[String: Any]]
        else { return nil }
        // Newest first: the latest operation's events come before its "User Initiated" start.
        var latest: [[String: Any]] = []
        for event in events {
            latest.append(event)
            if event["ResourceType"] as? String == "AWS::CloudFormation::Stack", event["ResourceStatusReason"] as? String == "User Initiated" { break }
        }
        let failed = latest.reversed().first { ($0["ResourceStatus"] as? String ?? "").hasSuffix("_FAILED") && $0["LogicalResourceId"] as? String != name }
        return failed.map { "\($0["LogicalResourceId"] as? String ?? "?"): \($0["ResourceStatusReason"] as? String ?? "no reason given")" }
    }

    /// True when the deployed template and parameters equal what the plan would deploy.
    static func matches(deployed: DeployedStack, template deployedTemplate: String?, planTemplate: String, parameters: [(String, String)]) -> Bool {
        guard deployed.isSettled, let deployedTemplate else { return false }
        if deployedTemplate != planTemplate {
            guard let a = try? Document.parse(deployedTemplate), let b = try? Document.parse(planTemplate), a == b else { return false }
        }
        return parameters.allSatisfy { deployed.parameters[$0.0].map(normalized) == normalized($0.1) }
    }

    /// A parameter value as a list of items: CommaDelimitedList values come back from AWS as
    /// `a,b` and from moto as `['a', 'b']`.
    static func normalized(_ value: String) -> [String] {
        var text = value
        if text.hasPrefix("[") && text.hasSuffix("]") {
            text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "'", with: "")
        }
        return text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
