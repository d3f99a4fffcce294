import Foundation

/// What changed in one environment's output: templates, plan steps, other files.
public struct EnvironmentDiff: Codable, Equatable, Sendable {
    public let environment: String
    public let stacks: [StackDiff]
    /// Plan steps added, removed or changed (`old`/`new` summarize the step).
    public let planSteps: [PropertyChange]
    /// Files whose bytes differ, added or removed (plan.md, assets, ...), relative to `out/<env>/`.
    public let files: [String]

    public var isEmpty: Bool { files.isEmpty }

    /// Resources that would be replaced or deleted while holding data.
    public var destructiveChanges: [(stack: String, change: ResourceChange)] {
        stacks.flatMap { stack in stack.resources.filter(\.possibleDataLoss).map { (stack.stack, $0) } }
    }
}

public enum OutputDiff {
    /// Compares the files `new` would write with `old`, the files of `out/<env>/` (path -> bytes).
    public static func diff(new: EnvironmentOutput, old: [String: Data]) -> EnvironmentDiff {
        let newFiles = Dictionary(uniqueKeysWithValues: new.files.map { ($0.path, $0.contents) })
        let changedFiles = Set(newFiles.keys).union(old.keys).filter { newFiles[$0] != old[$0] }.sorted()
        var stacks: [StackDiff] = []
        for path in changedFiles where path.hasSuffix(".template.yaml") && !path.contains("/") {
            let stack = String(path.dropLast(".template.yaml".count))
            let before = old[path].flatMap { try? Document.parse(String(decoding: $0, as: UTF8.self)) }
            let after = newFiles[path].flatMap { try? Document.parse(String(decoding: $0, as: UTF8.self)) }
            if let diff = TemplateDiff.diff(environment: new.environment, stack: stack, old: before, new: after) {
                stacks.append(diff)
            }
        }
        let oldPlan = old["plan.json"].flatMap { try? JSONDecoder().decode(DeployPlan.self, from: $0) }
        return EnvironmentDiff(environment: new.environment, stacks: stacks, planSteps: stepChanges(old: oldPlan, new: new.plan), files: changedFiles)
    }

    static func stepChanges(old: DeployPlan?, new: DeployPlan) -> [PropertyChange] {
        func summary(_ step: DeployPlan.Step) -> String {
            var parts = ["\(step.action.rawValue) in \(step.account.name) \(step.region)"]
            if !step.dependsOn.isEmpty { parts.append("after \(step.dependsOn.joined(separator: ", "))") }
            if let parameters = step.parameters, !parameters.isEmpty {
                parts.append("parameters " + parameters.map { "\($0.parameter)<-\($0.fromStep).\($0.output)" }.joined(separator: ", "))
            }
            if let uploads = step.uploads { parts.append("\(uploads.count) archives") }
            return parts.joined(separator: "; ")
        }
        let before = Dictionary((old?.steps ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.steps.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var ids = (old?.steps ?? []).map(\.id)
        for step in new.steps where before[step.id] == nil { ids.append(step.id) }
        return ids.compactMap { id in
            let a = before[id].map(summary)
            let b = after[id].map(summary)
            return a == b ? nil : PropertyChange(path: id, old: a, new: b, replaces: false)
        }
    }
}

/// Renders diffs for people (with colours on a terminal) or as JSON.
public struct DiffReport {
    public let diffs: [EnvironmentDiff]
    public let colour: Bool

    public init(_ diffs: [EnvironmentDiff], colour: Bool) {
        self.diffs = diffs
        self.colour = colour
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func red(_ text: String) -> String { paint(text, "31") }
    private func green(_ text: String) -> String { paint(text, "32") }
    private func yellow(_ text: String) -> String { paint(text, "33") }
    private func bold(_ text: String) -> String { paint(text, "1") }

    public func text() -> String {
        var lines: [String] = []
        for diff in diffs {
            if diff.isEmpty {
                lines.append("\(bold(diff.environment)): no changes")
                continue
            }
            lines.append(bold("\(diff.environment): \(diff.stacks.count) stack\(diff.stacks.count == 1 ? "" : "s") changed"))
            for stack in diff.stacks {
                lines.append("")
                lines.append(bold("Stack \(stack.stack)") + " (\(stack.status.rawValue))")
                if !stack.resources.isEmpty { lines.append("  Resources") }
                for resource in stack.resources {
                    lines.append("  " + describe(resource))
                    for change in resource.changes {
                        let marker = change.replaces ? red(" (replaces)") : ""
                        lines.append("      \(change.path): \(change.old ?? "(none)") -> \(change.new ?? "(none)")\(marker)")
                    }
                }
                for (title, changes) in [("Parameters", stack.parameters), ("Outputs", stack.outputs)] where !changes.isEmpty {
                    lines.append("  \(title)")
                    for change in changes {
                        let symbol = change.old == nil ? green("[+]") : change.new == nil ? red("[-]") : yellow("[~]")
                        lines.append("  \(symbol) \(change.path)\(change.old != nil && change.new != nil ? ": \(change.old!) -> \(change.new!)" : "")")
                    }
                }
                if !stack.security.isEmpty {
                    lines.append("  Security changes")
                    for change in stack.security {
                        lines.append("  " + (change.direction == .added ? green("[+]") : red("[-]")) + " \(change.fact)")
                    }
                }
            }
            if !diff.planSteps.isEmpty {
                lines.append("")
                lines.append(bold("Plan steps"))
                for step in diff.planSteps {
                    let symbol = step.old == nil ? green("[+]") : step.new == nil ? red("[-]") : yellow("[~]")
                    lines.append("  \(symbol) \(step.path): \(step.new ?? step.old ?? "")")
                }
            }
            let destructive = diff.destructiveChanges
            if !destructive.isEmpty {
                lines.append("")
                lines.append(red(bold("Possible data loss")))
                for (stack, change) in destructive {
                    lines.append(red("  \(diff.environment)/\(stack)/\(change.logicalId): \(change.type) would be \(change.action == .remove ? "deleted" : "replaced")"))
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ resource: ResourceChange) -> String {
        let symbol: String
        switch resource.action {
        case .add: symbol = green("[+]")
        case .update: symbol = yellow("[~]")
        case .replace: symbol = red("[-/+]")
        case .remove: symbol = red("[-]")
        }
        var text = "\(symbol) \(resource.type) \(resource.logicalId)"
        switch resource.action {
        case .replace: text += red(" replacement")
        case .remove: text += red(" deletion")
        default: break
        }
        if resource.possibleDataLoss { text += red(bold(" (stateful: possible data loss)")) }
        if let renamed = resource.renamedTo { text += " (renamed to \(renamed)? a new logical id is a new resource)" }
        return text
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(diffs), as: UTF8.self) + "\n"
    }
}
