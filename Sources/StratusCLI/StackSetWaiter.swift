import Foundation
import Plan

/// Waits after a StackSet step until its stack instances in the plan's accounts and regions are
/// `CURRENT`, reading `list-stack-instances` and the StackSet's latest operation
/// (`list-stack-set-operations`) every `interval` seconds. A failed instance or operation stops
/// the wait with the account and region; so does `timeout`.
struct StackSetWaiter {
    let aws: AWSCLI
    let step: DeployPlan.Step
    let instances: DeployPlan.StackSetInstances
    let interval: Double
    let timeout: Double
    let say: (String) -> Void

    func wait() throws {
        let wanted = instances.accounts.flatMap { account in instances.regions.map { "\(account)/\($0)" } }
        let start = Date()
        var reported = ""
        while true {
            let listed = try aws.run(
                ["cloudformation", "list-stack-instances", "--stack-set-name", instances.stackSet, "--output", "json"],
                account: step.account, region: step.region)
            var status: [String: (status: String, detail: String, reason: String)] = [:]
            for summary in listed.json?["Summaries"] as? [[String: Any]] ?? [] {
                guard let account = summary["Account"] as? String, let region = summary["Region"] as? String else { continue }
                let detail = (summary["StackInstanceStatus"] as? [String: Any])?["DetailedStatus"] as? String ?? ""
                status["\(account)/\(region)"] = (summary["Status"] as? String ?? "", detail, summary["StatusReason"] as? String ?? "")
            }
            for key in wanted {
                guard let instance = status[key] else { continue }
                if instance.status == "INOPERABLE" || instance.detail == "FAILED" || instance.detail == "CANCELLED" {
                    let parts = key.split(separator: "/")
                    throw StepFailure(
                        message: "StackSet \(instances.stackSet) failed in account \(parts[0]) region \(parts[1]) (\(instance.status)\(instance.detail.isEmpty ? "" : " \(instance.detail)"))\(instance.reason.isEmpty ? "" : ": \(instance.reason)")",
                        hint: "read the stack instance's events in that account and region, fix the cause, and deploy again",
                        stackStatus: "instance \(instance.status)")
                }
            }
            let waiting = wanted.filter { status[$0]?.status != "CURRENT" }
            if waiting.isEmpty {
                say("StackSet \(instances.stackSet): \(wanted.count) instance\(wanted.count == 1 ? "" : "s") CURRENT")
                return
            }
            let operations = try aws.run(
                ["cloudformation", "list-stack-set-operations", "--stack-set-name", instances.stackSet, "--max-results", "1", "--output", "json"],
                account: step.account, region: step.region)
            let latest = (operations.json?["Summaries"] as? [[String: Any]])?.first
            let operationStatus = latest?["Status"] as? String ?? "none"
            if ["FAILED", "STOPPED"].contains(operationStatus) {
                throw StepFailure(
                    message: "StackSet \(instances.stackSet) operation \(latest?["OperationId"] as? String ?? "?") ended \(operationStatus) before \(waiting.map(Self.place).joined(separator: ", ")) became CURRENT",
                    hint: "aws cloudformation list-stack-set-operation-results --stack-set-name \(instances.stackSet) --operation-id <id> names the accounts that failed")
            }
            if operationStatus == "SUCCEEDED" && waiting.allSatisfy({ status[$0] == nil }) {
                throw StepFailure(
                    message: "StackSet \(instances.stackSet) has no instance in \(waiting.map(Self.place).joined(separator: ", ")) after its latest operation succeeded",
                    hint: "check that the accounts are in the StackSet's organisational units (organisationalUnit: in their environment files)")
            }
            if Date().timeIntervalSince(start) > timeout {
                throw StepFailure(
                    message: "StackSet \(instances.stackSet) instances in \(waiting.map(Self.place).joined(separator: ", ")) are not CURRENT after \(Int(timeout)) s (operation \(operationStatus))",
                    hint: "watch the operation in the management account's CloudFormation console, then deploy again")
            }
            let now = "waiting for StackSet \(instances.stackSet): \(waiting.map(Self.place).joined(separator: ", ")) not CURRENT yet (operation \(operationStatus))"
            if now != reported {
                say(now)
                reported = now
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    static func place(_ key: String) -> String {
        let parts = key.split(separator: "/")
        return "\(parts[0]) \(parts[1])"
    }
}
