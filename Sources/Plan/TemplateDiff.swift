import CloudFormationResources
import Foundation

/// How CloudFormation will treat a change to one resource.
public enum ChangeAction: String, Codable, Sendable, Comparable {
    case add
    case update
    /// A create-only property changed, or the type did: CloudFormation creates a new resource
    /// and deletes the old one.
    case replace
    case remove

    public static func < (lhs: ChangeAction, rhs: ChangeAction) -> Bool {
        let order: [ChangeAction] = [.remove, .replace, .update, .add]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// One changed value at a path inside a resource's properties (or a template section).
public struct PropertyChange: Codable, Equatable, Sendable {
    public let path: String
    public let old: String?
    public let new: String?
    /// True when this change alone replaces the resource.
    public let replaces: Bool
}

public struct ResourceChange: Codable, Equatable, Sendable {
    public let logicalId: String
    public let type: String
    public let action: ChangeAction
    public let stateful: Bool
    /// Replacement or deletion of a stateful resource.
    public var possibleDataLoss: Bool { stateful && (action == .replace || action == .remove) }
    public let changes: [PropertyChange]
    /// For a removal that has a same-typed addition beside it: the logical id it may have been renamed to.
    public let renamedTo: String?

    enum CodingKeys: String, CodingKey { case logicalId, type, action, stateful, possibleDataLoss, changes, renamedTo }

    public init(logicalId: String, type: String, action: ChangeAction, stateful: Bool, changes: [PropertyChange], renamedTo: String?) {
        self.logicalId = logicalId
        self.type = type
        self.action = action
        self.stateful = stateful
        self.changes = changes
        self.renamedTo = renamedTo
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        logicalId = try container.decode(String.self, forKey: .logicalId)
        type = try container.decode(String.self, forKey: .type)
        action = try container.decode(ChangeAction.self, forKey: .action)
        stateful = try container.decode(Bool.self, forKey: .stateful)
        changes = try container.decode([PropertyChange].self, forKey: .changes)
        renamedTo = try container.decodeIfPresent(String.self, forKey: .renamedTo)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(logicalId, forKey: .logicalId)
        try container.encode(type, forKey: .type)
        try container.encode(action, forKey: .action)
        try container.encode(stateful, forKey: .stateful)
        try container.encode(possibleDataLoss, forKey: .possibleDataLoss)
        try container.encode(changes, forKey: .changes)
        try container.encodeIfPresent(renamedTo, forKey: .renamedTo)
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
    /// Security-relevant statements and rules, added (`+`) or removed (`-`).
    public let security: [SecurityChange]
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

/// Compares two templates of one stack.
public enum TemplateDiff {
    /// Compares `old` (nil when the stack is new) with `new` (nil when the stack is gone).
    public static func diff(environment: String, stack: String, old: Document?, new: Document?) -> StackDiff? {
        let oldResources = old?["Resources"]?.entries ?? []
        let newResources = new?["Resources"]?.entries ?? []
        var changes: [ResourceChange] = []
        let oldById = Dictionary(oldResources.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let newById = Dictionary(newResources.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })

        for entry in oldResources {
            let type = entry.value["Type"]?.text ?? "?"
            guard let newResource = newById[entry.key] else {
                let renamed = newResources.first { oldById[$0.key] == nil && $0.value["Type"]?.text == type }?.key
                changes.append(ResourceChange(
                    logicalId: entry.key, type: type, action: .remove, stateful: ResourceSchemas.stateful.contains(type), changes: [], renamedTo: renamed))
                continue
            }
            let newType = newResource["Type"]?.text ?? "?"
            if newType != type {
                changes.append(ResourceChange(
                    logicalId: entry.key, type: newType, action: .replace, stateful: ResourceSchemas.stateful.contains(type) || ResourceSchemas.stateful.contains(newType),
                    changes: [PropertyChange(path: "Type", old: type, new: newType, replaces: true)], renamedTo: nil))
                continue
            }
            var propertyChanges: [PropertyChange] = []
            compare(entry.value["Properties"], newResource["Properties"], path: [], type: type, into: &propertyChanges)
            for attribute in ["DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"] {
                let before = entry.value[attribute]
                let after = newResource[attribute]
                if before != after {
                    propertyChanges.append(PropertyChange(path: attribute, old: before?.description, new: after?.description, replaces: false))
                }
            }
            if !propertyChanges.isEmpty {
                changes.append(ResourceChange(
                    logicalId: entry.key, type: type, action: propertyChanges.contains(where: \.replaces) ? .replace : .update,
                    stateful: ResourceSchemas.stateful.contains(type), changes: propertyChanges, renamedTo: nil))
            }
        }
        for entry in newResources where oldById[entry.key] == nil {
            let type = entry.value["Type"]?.text ?? "?"
            changes.append(ResourceChange(logicalId: entry.key, type: type, action: .add, stateful: ResourceSchemas.stateful.contains(type), changes: [], renamedTo: nil))
        }

        var parameters: [PropertyChange] = []
        compareSection(old?["Parameters"], new?["Parameters"], into: &parameters)
        var outputs: [PropertyChange] = []
        compareSection(old?["Outputs"], new?["Outputs"], into: &outputs)
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
            parameters: parameters, outputs: outputs, security: security)
    }

    private static func compareSection(_ old: Document?, _ new: Document?, into changes: inout [PropertyChange]) {
        let before = Dictionary((old?.entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary((new?.entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            changes.append(PropertyChange(path: key, old: before[key]?.description, new: after[key]?.description, replaces: false))
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
        case (.list(let before)?, .list(let after)?) where before.count == after.count:
            for (index, pair) in zip(before, after).enumerated() {
                compare(pair.0, pair.1, path: path + ["[\(index)]"], type: type, into: &changes)
            }
        default:
            changes.append(PropertyChange(
                path: render(path), old: old?.description, new: new?.description,
                replaces: ResourceSchemas.changeReplaces(type: type, path: path.map { $0.hasPrefix("[") ? "*" : $0 })))
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
