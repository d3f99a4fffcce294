import CloudFormationResources
import Foundation

/// How CloudFormation will treat a change to one resource.
public enum ChangeAction: String, Codable, Sendable, Comparable {
    case add
    case update
    /// A conditional create-only property changed (or a value it references may be replaced):
    /// CloudFormation replaces the resource in some cases. Gated like a replacement when the
    /// resource holds data.
    case mayReplace = "may-replace"
    /// A create-only property changed, the type did, or a create-only property references a
    /// resource that is replaced: CloudFormation creates a new resource and deletes the old one.
    case replace
    case remove

    public static func < (lhs: ChangeAction, rhs: ChangeAction) -> Bool {
        let order: [ChangeAction] = [.remove, .replace, .mayReplace, .update, .add]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }

    var isReplacement: Bool { self == .replace || self == .mayReplace }
}

/// One changed value at a path inside a resource's properties (or a template section).
public struct PropertyChange: Codable, Equatable, Sendable {
    public let path: String
    public let old: String?
    public let new: String?
    /// True when this change alone replaces the resource (`impact` is `replace`).
    public let replaces: Bool
    /// `none`, `may-replace` (a conditional create-only property) or `replace`.
    public let impact: ReplacementImpact
    /// Why a value changes although its text does not: "Network is replaced".
    public let cause: String?

    public init(path: String, old: String?, new: String?, impact: ReplacementImpact = .none, cause: String? = nil) {
        self.path = path
        self.old = old
        self.new = new
        self.replaces = impact == .replace
        self.impact = impact
        self.cause = cause
    }
}

/// Why a resource is replaced although none of its own create-only values changed.
public struct ReplacementCause: Codable, Equatable, Sendable {
    /// The replaced resource it references: a logical id, or `<stack>/<LogicalId>` in another stack.
    public let resource: String
    /// The create-only (or conditional) property of this resource that references it.
    public let property: String
    /// The stack parameter the value arrives through, when it comes from another stack.
    public let parameter: String?
    /// `replace`, or `may-replace` when the property is a conditional create-only one or the
    /// referenced resource may only be replaced.
    public let impact: ReplacementImpact
    /// Whether the referenced resource is replaced or may be.
    public let sourceImpact: ReplacementImpact

    /// `replaced because Network is replaced (VpcId references it)`.
    public var description: String {
        let through = parameter.map { " through parameter \($0)" } ?? ""
        return "\(impact == .replace ? "replaced" : "may be replaced") because \(resource) \(sourceImpact == .replace ? "is" : "may be") replaced (\(property) references it\(through))"
    }
}

/// An update CloudFormation will refuse, or one that silently loses something.
public struct UpdateWarning: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// CloudFormation (or the service) rejects the update; the stack rolls back.
        case refused
        /// The update succeeds and deletes something (old log events, ...).
        case quietLoss = "quiet-loss"
    }
    public let logicalId: String
    public let type: String
    public let kind: Kind
    public let message: String
}

public struct ResourceChange: Codable, Equatable, Sendable {
    public let logicalId: String
    public let type: String
    public let action: ChangeAction
    public let stateful: Bool
    /// Replacement (certain or possible) or deletion of a stateful resource.
    public var possibleDataLoss: Bool { stateful && (action.isReplacement || action == .remove) }
    /// For possible data loss: what happens, respecting DeletionPolicy / UpdateReplacePolicy.
    public let dataLoss: String?
    public let changes: [PropertyChange]
    /// For a removal that has a same-typed addition beside it: the logical id it may have been renamed to.
    public let renamedTo: String?
    /// Replaced because something it references in a create-only property is replaced.
    public let replacedBecause: [ReplacementCause]

    enum CodingKeys: String, CodingKey { case logicalId, type, action, stateful, possibleDataLoss, dataLoss, changes, renamedTo, replacedBecause }

    public init(logicalId: String, type: String, action: ChangeAction, stateful: Bool, dataLoss: String? = nil,
                changes: [PropertyChange], renamedTo: String?, replacedBecause: [ReplacementCause] = []) {
        self.logicalId = logicalId
        self.type = type
        self.action = action
        self.stateful = stateful
        self.dataLoss = dataLoss
        self.changes = changes
        self.renamedTo = renamedTo
        self.replacedBecause = replacedBecause
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        logicalId = try container.decode(String.self, forKey: .logicalId)
        type = try container.decode(String.self, forKey: .type)
        action = try container.decode(ChangeAction.self, forKey: .action)
        stateful = try container.decode(Bool.self, forKey: .stateful)
        dataLoss = try container.decodeIfPresent(String.self, forKey: .dataLoss)
        changes = try container.decode([PropertyChange].self, forKey: .changes)
        renamedTo = try container.decodeIfPresent(String.self, forKey: .renamedTo)
        replacedBecause = try container.decodeIfPresent([ReplacementCause].self, forKey: .replacedBecause) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(logicalId, forKey: .logicalId)
        try container.encode(type, forKey: .type)
        try container.encode(action, forKey: .action)
        try container.encode(stateful, forKey: .stateful)
        try container.encode(possibleDataLoss, forKey: .possibleDataLoss)
        try container.encodeIfPresent(dataLoss, forKey: .dataLoss)
        try container.encode(changes, forKey: .changes)
        try container.encodeIfPresent(renamedTo, forKey: .renamedTo)
        try container.encode(replacedBecause, forKey: .replacedBecause)
    }
}

/// What changed in one stack's template.
public struct StackDiff: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable { case added, removed, changed }

    public let environment: String
    public let stack: String
    public let status: Status
    public let resources: [ResourceChange]
    public let parameters: [PropertyChange]
    public let outputs: [PropertyChange]
    /// Security-relevant statements, rules and settings, added (`+`) or removed (`-`).
    public let security: [SecurityChange]
    /// Updates CloudFormation will refuse, or that lose something quietly.
    public let warnings: [UpdateWarning]
}

public struct SecurityChange: Codable, Equatable, Sendable {
    public enum Direction: String, Codable, Sendable { case added = "+", removed = "-" }
    public let direction: Direction
    public let fact: String

    public init(direction: Direction, fact: String) {
        self.direction = direction
        self.fact = fact
    }
}

/// A value a stack receives from another stack that changes because its source is replaced.
public struct ReplacedInput: Equatable, Sendable {
    /// `<stack>/<LogicalId>` of the replaced resource.
    public let source: String
    public let output: String
    public let impact: ReplacementImpact
}

/// Compares two templates of one stack.
public enum TemplateDiff {
    /// Compares `old` (nil when the stack is new) with `new` (nil when the stack is gone).
    /// `replacedInputs` are parameters (by name) whose value changes at deploy time because the
    /// resource behind them, in another stack, is replaced.
    public static func diff(environment: String, stack: String, old: Document?, new: Document?,
                            replacedInputs: [String: ReplacedInput] = [:]) -> StackDiff? {
        let oldResources = old?["Resources"]?.entries ?? []
        let newResources = new?["Resources"]?.entries ?? []
        let oldById = Dictionary(oldResources.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let newById = Dictionary(newResources.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })

        struct Working {
            var type: String
            var action: ChangeAction
            var changes: [PropertyChange]
            var causes: [ReplacementCause]
        }
        var working: [String: Working] = [:]
        var order: [String] = []
        for entry in oldResources {
            let type = entry.value["Type"]?.text ?? "?"
            order.append(entry.key)
            guard let newResource = newById[entry.key] else {
                working[entry.key] = Working(type: type, action: .remove, changes: [], causes: [])
                continue
            }
            let newType = newResource["Type"]?.text ?? "?"
            if newType != type {
                working[entry.key] = Working(type: newType, action: .replace, changes: [PropertyChange(path: "Type", old: type, new: newType, impact: .replace)], causes: [])
                continue
            }
            var propertyChanges: [PropertyChange] = []
            compare(entry.value["Properties"], newResource["Properties"], path: [], type: type, into: &propertyChanges)
            for attribute in ["DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"] {
                let before = entry.value[attribute]
                let after = newResource[attribute]
                if before != after {
                    propertyChanges.append(PropertyChange(path: attribute, old: before?.description, new: after?.description))
                }
            }
            let impact = propertyChanges.map(\.impact).max() ?? .none
            let action: ChangeAction = impact == .replace ? .replace : impact == .mayReplace ? .mayReplace : .update
            working[entry.key] = Working(type: type, action: action, changes: propertyChanges, causes: [])
        }
        for entry in newResources where oldById[entry.key] == nil {
            order.append(entry.key)
            working[entry.key] = Working(type: entry.value["Type"]?.text ?? "?", action: .add, changes: [], causes: [])
        }

        // Replacements spread (aws-cdk-cli's cloudformation-diff does the same): a resource whose
        // create-only property references a replaced resource or parameter is replaced too, and
        // a reference elsewhere is an update. Repeated until nothing changes.
        var replaced: [String: (label: String, parameter: String?, impact: ReplacementImpact)] = [:]
        for (parameter, input) in replacedInputs { replaced[parameter] = (input.source, parameter, input.impact) }
        var spread = true
        while spread {
            spread = false
            for id in order {
                guard let item = working[id] else { continue }
                if item.action.isReplacement && replaced[id]?.impact != (item.action == .replace ? .replace : .mayReplace) {
                    replaced[id] = (id, nil, item.action == .replace ? .replace : .mayReplace)
                    spread = true
                }
            }
            for id in order {
                guard var item = working[id], item.action != .remove, item.action != .add, item.action != .replace,
                      let resource = newById[id] else { continue }
                var found: [(path: [String], id: String)] = []
                References.walk(resource["Properties"], path: []) { path, target in
                    if target != id, replaced[target] != nil { found.append((path, target)) }
                }
                for (path, target) in found {
                    let source = replaced[target]!
                    let rendered = render(path.map { $0 == "*" ? "[*]" : $0 })
                    let schemaImpact = ResourceSchemas.impact(type: item.type, path: path)
                    if schemaImpact == .none {
                        let cause = "\(source.label) is replaced"
                        if !item.changes.contains(where: { $0.path == rendered && $0.cause == cause }) && !item.changes.contains(where: { $0.path == rendered && $0.cause == nil }) {
                            item.changes.append(PropertyChange(path: rendered, old: nil, new: nil, cause: source.impact == .replace ? cause : "\(source.label) may be replaced"))
                            working[id] = item
                        }
                        continue
                    }
                    let impact = min(schemaImpact, source.impact)
                    let cause = ReplacementCause(
                        resource: source.parameter == nil ? target : source.label, property: rendered, parameter: source.parameter,
                        impact: impact, sourceImpact: source.impact)
                    if !item.causes.contains(cause) {
                        item.causes.append(cause)
                        let action: ChangeAction = impact == .replace ? .replace : .mayReplace
                        if item.action == .update || (item.action == .mayReplace && action == .replace) { item.action = action }
                        working[id] = item
                        // Known at once, so a chain in template order spreads in one round.
                        replaced[id] = (id, nil, item.action == .replace ? .replace : .mayReplace)
                        spread = true
                    }
                }
            }
        }

        var changes: [ResourceChange] = []
        for id in order {
            guard let item = working[id] else { continue }
            if item.action == .update && item.changes.isEmpty { continue }
            let template = item.action == .add ? new : old
            let resource = item.action == .add ? newById[id] : oldById[id]
            let entry = StatefulResources.entry(logicalId: id, resource: resource, template: template)
                ?? (item.action == .add ? nil : StatefulResources.entry(logicalId: id, resource: newById[id], template: new))
            let renamed = item.action == .remove
                ? newResources.first { oldById[$0.key] == nil && $0.value["Type"]?.text == item.type }?.key : nil
            let dataLoss = entry.flatMap { fate(of: item.action, entry: $0, resource: oldById[id]) }
            changes.append(ResourceChange(
                logicalId: id, type: item.type, action: item.action, stateful: entry != nil, dataLoss: dataLoss,
                changes: item.changes, renamedTo: renamed, replacedBecause: item.causes))
        }

        var warnings: [UpdateWarning] = []
        for change in changes {
            warnings += UpdateWarnings.warnings(for: change, old: oldById[change.logicalId], new: newById[change.logicalId])
        }

        var parameters: [PropertyChange] = []
        compareSection(old?["Parameters"], new?["Parameters"], into: &parameters)
        for (name, input) in replacedInputs.sorted(by: { $0.key < $1.key }) where new?["Parameters"]?[name] != nil {
            let verb = input.impact == .replace ? "is replaced" : "may be replaced"
            parameters.append(PropertyChange(path: name, old: nil, new: nil, impact: .none,
                                             cause: "the value changes at deploy time: \(input.source) \(verb) (output \(input.output))"))
        }
        var outputs: [PropertyChange] = []
        compareSection(old?["Outputs"], new?["Outputs"], into: &outputs)
        for output in new?["Outputs"]?.entries ?? [] where old?["Outputs"]?[output.key] == output.value {
            let sources = References.ids(in: output.value["Value"]).filter { replaced[$0] != nil }.sorted()
            guard let first = sources.first, let source = replaced[first] else { continue }
            outputs.append(PropertyChange(path: output.key, old: nil, new: nil,
                                          cause: "the value changes: \(source.label) \(source.impact == .replace ? "is" : "may be") replaced"))
        }
        let oldFacts = Set(SecurityFacts.facts(in: old))
        let newFacts = Set(SecurityFacts.facts(in: new))
        let security = newFacts.subtracting(oldFacts).sorted().map { SecurityChange(direction: .added, fact: $0) }
            + oldFacts.subtracting(newFacts).sorted().map { SecurityChange(direction: .removed, fact: $0) }

        if changes.isEmpty && parameters.isEmpty && outputs.isEmpty && security.isEmpty && (old == nil) == (new == nil) && old?["Description"] == new?["Description"] {
            return nil
        }
        let status: StackDiff.Status = old == nil ? .added : new == nil ? .removed : .changed
        return StackDiff(
            environment: environment, stack: stack, status: status,
            resources: changes.sorted { ($0.action, $0.logicalId) < ($1.action, $1.logicalId) },
            parameters: parameters, outputs: outputs, security: security, warnings: warnings)
    }

    /// The outputs of `new` whose value changes because a resource (or an input) behind them is
    /// replaced, by output name.
    public static func replacedOutputs(of diff: StackDiff?, new: Document?, replacedInputs: [String: ReplacedInput]) -> [String: ReplacedInput] {
        var replaced: [String: (String, ReplacementImpact)] = [:]
        for resource in diff?.resources ?? [] where resource.action.isReplacement {
            replaced[resource.logicalId] = ("\(diff!.stack)/\(resource.logicalId)", resource.action == .replace ? .replace : .mayReplace)
        }
        for (name, input) in replacedInputs { replaced[name] = (input.source, input.impact) }
        var result: [String: ReplacedInput] = [:]
        for output in new?["Outputs"]?.entries ?? [] {
            let sources = References.ids(in: output.value["Value"]).compactMap { replaced[$0] }.sorted { $0.0 < $1.0 }
            guard let first = sources.first(where: { $0.1 == .replace }) ?? sources.first else { continue }
            result[output.key] = ReplacedInput(source: first.0, output: output.key, impact: first.1)
        }
        return result
    }

    /// What a replacement or deletion does to a stateful resource, in its policy's words.
    static func fate(of action: ChangeAction, entry: StatefulResources.Entry, resource: Document?) -> String? {
        guard action.isReplacement || action == .remove else { return nil }
        let attribute = action == .remove ? "DeletionPolicy" : "UpdateReplacePolicy"
        // CloudFormation snapshots RDS instances and clusters when no policy is given.
        let defaultPolicy = ["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"].contains(entry.type) ? "Snapshot" : "Delete"
        let policy = resource?[attribute]?.text ?? defaultPolicy
        let may = action == .mayReplace ? "may be " : ""
        switch (action, policy) {
        case (.remove, "Retain"), (.remove, "RetainExceptOnCreate"):
            return "kept but orphaned: the stack no longer manages it (DeletionPolicy \(policy))"
        case (.remove, "Snapshot"):
            return "deleted after a final snapshot, with \(entry.loses)"
        case (.remove, _):
            return "deleted, with \(entry.loses)"
        case (_, "Retain"), (_, "RetainExceptOnCreate"):
            return "\(may)replaced: the old one is kept but orphaned: the new resource starts empty (UpdateReplacePolicy \(policy))"
        case (_, "Snapshot"):
            return "\(may)replaced: the new resource starts empty and the old one is deleted after a final snapshot"
        default:
            return "\(may)replaced: the new resource starts empty and the old one is deleted, with \(entry.loses)"
        }
    }

    private static func compareSection(_ old: Document?, _ new: Document?, into changes: inout [PropertyChange]) {
        let before = Dictionary((old?.entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary((new?.entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            changes.append(PropertyChange(path: key, old: before[key]?.description, new: after[key]?.description))
        }
    }

    /// Keys that identify the elements of a list (`KeySchema` by `AttributeName`, indexes by
    /// `IndexName`, statements by `Sid`, tags by `Key`, ...), in order of preference.
    static let elementKeys = ["IndexName", "AttributeName", "Sid", "Id", "Key", "ParameterKey", "PolicyName", "Name", "ContainerName", "DeviceName"]

    /// The key that identifies every element of both lists uniquely, if there is one.
    static func elementKey(_ before: [Document], _ after: [Document]) -> String? {
        guard !before.isEmpty || !after.isEmpty else { return nil }
        return elementKeys.first { key in
            [before, after].allSatisfy { items in
                let values = items.map { $0[key]?.text }
                return values.allSatisfy { $0 != nil } && Set(values.map { $0! }).count == values.count
            }
        }
    }

    /// Records the smallest changed paths between two property values.
    static func compare(_ old: Document?, _ new: Document?, path: [String], type: String, into changes: inout [PropertyChange]) {
        if old == new { return }
        switch (old, new) {
        case (.map(let before)?, .map(let after)?) where !isIntrinsic(before) && !isIntrinsic(after):
            let beforeByKey = Dictionary(before.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            let afterByKey = Dictionary(after.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            var keys = before.map(\.key)
            for entry in after where beforeByKey[entry.key] == nil { keys.append(entry.key) }
            for key in keys {
                compare(beforeByKey[key], afterByKey[key], path: path + [key], type: type, into: &changes)
            }
        case (.list(let before)?, .list(let after)?) where elementKey(before, after) != nil:
            // Matched by key: one added index reads as one added index, a reordering is no change.
            let key = elementKey(before, after)!
            let beforeByKey = Dictionary(before.map { ($0[key]!.text!, $0) }, uniquingKeysWith: { a, _ in a })
            let afterByKey = Dictionary(after.map { ($0[key]!.text!, $0) }, uniquingKeysWith: { a, _ in a })
            var names = before.map { $0[key]!.text! }
            for item in after where beforeByKey[item[key]!.text!] == nil { names.append(item[key]!.text!) }
            for name in names {
                compare(beforeByKey[name], afterByKey[name], path: path + ["[\(name)]"], type: type, into: &changes)
            }
        case (.list(let before)?, .list(let after)?) where before.count == after.count:
            for (index, pair) in zip(before, after).enumerated() {
                compare(pair.0, pair.1, path: path + ["[\(index)]"], type: type, into: &changes)
            }
        default:
            changes.append(PropertyChange(
                path: render(path), old: old?.description, new: new?.description,
                impact: ResourceSchemas.impact(type: type, path: path.map { $0.hasPrefix("[") ? "*" : $0 })))
        }
    }

    private static func isIntrinsic(_ entries: [Document.Entry]) -> Bool {
        entries.count == 1 && (entries[0].key == "Ref" || entries[0].key.hasPrefix("Fn::") || entries[0].key == "Condition")
    }

    static func render(_ path: [String]) -> String {
        path.reduce("") { result, component in
            component.hasPrefix("[") ? result + component : (result.isEmpty ? component : result + "." + component)
        }
    }
}
