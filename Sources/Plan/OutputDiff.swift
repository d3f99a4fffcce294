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

    /// Resources that would be replaced (certainly or possibly) or deleted while holding data.
    public var destructiveChanges: [(stack: String, change: ResourceChange)] {
        stacks.flatMap { stack in stack.resources.filter(\.possibleDataLoss).map { (stack.stack, $0) } }
    }

    /// Updates CloudFormation will refuse or that lose something quietly.
    public var warnings: [(stack: String, warning: UpdateWarning)] {
        stacks.flatMap { stack in stack.warnings.map { (stack.stack, $0) } }
    }
}

public enum OutputDiff {
    /// Compares the files `new` would write with `old`, the files of `out/<env>/` (path -> bytes).
    public static func diff(new: EnvironmentOutput, old: [String: Data]) -> EnvironmentDiff {
        diff(environment: new.environment, new: Dictionary(uniqueKeysWithValues: new.files.map { ($0.path, $0.contents) }), newPlan: new.plan, old: old)
    }

    /// Compares two folders' files (path -> bytes) of one environment; the plan is read from
    /// `new`'s plan.json (it says which parameters take which outputs).
    public static func diff(environment: String, new newFiles: [String: Data], old: [String: Data]) -> EnvironmentDiff {
        let plan = newFiles["plan.json"].flatMap { try? JSONDecoder().decode(DeployPlan.self, from: $0) }
        return diff(environment: environment, new: newFiles, newPlan: plan, old: old)
    }

    static func diff(environment: String, new newFiles: [String: Data], newPlan: DeployPlan?, old: [String: Data]) -> EnvironmentDiff {
        let changedFiles = Set(newFiles.keys).union(old.keys).filter { newFiles[$0] != old[$0] }.sorted()
        let templatePaths = Set(newFiles.keys).union(old.keys).filter { $0.hasSuffix(".template.yaml") && !$0.contains("/") }.sorted()
        var parsed: [String: (old: Document?, new: Document?)] = [:]
        func documents(_ path: String) -> (old: Document?, new: Document?) {
            if let cached = parsed[path] { return cached }
            let pair = (old[path].flatMap { try? Document.parse(String(decoding: $0, as: UTF8.self)) },
                        newFiles[path].flatMap { try? Document.parse(String(decoding: $0, as: UTF8.self)) })
            parsed[path] = pair
            return pair
        }
        func stackName(_ path: String) -> String { String(path.dropLast(".template.yaml".count)) }

        // Which parameter of which template takes which output of which stack.
        var consumers: [String: [(template: String, parameter: String, output: String)]] = [:]
        for step in newPlan?.stackSteps ?? [] {
            guard let template = step.template else { continue }
            for source in step.parameters ?? [] {
                consumers[source.fromStep, default: []].append((template, source.parameter, source.output))
            }
        }

        // Replacements spread across stacks through outputs and parameters, to a fixpoint.
        var inputs: [String: [String: ReplacedInput]] = [:]
        var diffs: [String: StackDiff] = [:]
        var pending = templatePaths.filter { changedFiles.contains($0) }
        var rounds = 0
        while !pending.isEmpty && rounds <= templatePaths.count + 1 {
            rounds += 1
            var next: Set<String> = []
            for path in pending {
                let pair = documents(path)
                let stack = stackName(path)
                diffs[path] = TemplateDiff.diff(environment: environment, stack: stack, old: pair.old, new: pair.new, replacedInputs: inputs[path] ?? [:])
                let outputs = TemplateDiff.replacedOutputs(of: diffs[path], new: pair.new, replacedInputs: inputs[path] ?? [:])
                for consumer in consumers[stack] ?? [] {
                    guard let output = outputs[consumer.output] else { continue }
                    if inputs[consumer.template]?[consumer.parameter] != output {
                        inputs[consumer.template, default: [:]][consumer.parameter] = output
                        next.insert(consumer.template)
                    }
                }
            }
            pending = next.sorted()
        }
        let stacks = templatePaths.compactMap { diffs[$0] ?? nil }
        let oldPlan = old["plan.json"].flatMap { try? JSONDecoder().decode(DeployPlan.self, from: $0) }
        return EnvironmentDiff(
            environment: environment, stacks: stacks,
            planSteps: newPlan.map { stepChanges(old: oldPlan, new: $0) } ?? [], files: changedFiles)
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
            return a == b ? nil : PropertyChange(path: id, old: a, new: b)
        }
    }
}
