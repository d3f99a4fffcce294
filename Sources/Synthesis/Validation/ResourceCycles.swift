import CloudFormation

/// Dependency cycles between the resources of one template, through `Ref`, `GetAtt`, `${...}` in
/// `Sub` and `DependsOn`. CloudFormation refuses such a template ("Circular dependency between
/// resources"); synthesis names the cycle instead.
public enum ResourceCycles {
    /// An edge: `from` needs `to`, because of `reason` (a property path, or `DependsOn`).
    public struct Edge: Equatable {
        public let from: String
        public let to: String
        public let reason: String
    }

    /// The first cycle found, walking resources in template order; nil when there is none.
    /// `targets` are the names each resource's properties refer to, by logical id, as
    /// ``SchemaValidator/check(_:)`` collects them while it walks every value.
    static func firstCycle(in template: Template, targets: [String: [String]]) -> [Edge]? {
        // Resources by position in the template: the search works on integers, not on names.
        let resources = template.resources
        var position: [String: Int] = [:]
        position.reserveCapacity(resources.count)
        for (index, entry) in resources.enumerated() where position[entry.logicalId] == nil { position[entry.logicalId] = index }
        var edges: [[Int]] = Array(repeating: [], count: resources.count)
        for (index, entry) in resources.enumerated() {
            var found: [Int] = []
            func add(_ target: String) {
                if let to = position[target], !found.contains(to) { found.append(to) }
            }
            entry.resource.dependsOn.forEach(add)
            targets[entry.logicalId, default: []].forEach(add)
            edges[index] = found
        }
        // Depth-first search with colours; the stack of edges is the path to the current node.
        var state = [UInt8](repeating: 0, count: resources.count)  // 1 on the path, 2 done
        var path: [(from: Int, to: Int)] = []
        func visit(_ node: Int) -> [(from: Int, to: Int)]? {
            state[node] = 1
            for to in edges[node] {
                if state[to] == 1 {
                    let start = path.firstIndex { $0.from == to } ?? path.count
                    return Array(path[start...]) + [(node, to)]
                }
                if state[to] == 0 {
                    path.append((node, to))
                    if let cycle = visit(to) { return cycle }
                    path.removeLast()
                }
            }
            state[node] = 2
            return nil
        }
        for index in resources.indices where state[index] == 0 {
            if let cycle = visit(index) {
                // Property paths are worked out for the edges of the cycle only: building them for
                // every value of every template was most of the cost of this check.
                return cycle.map { edge in
                    let to = resources[edge.to].logicalId
                    return Edge(from: resources[edge.from].logicalId, to: to, reason: reason(resources[edge.from].resource, refersTo: to))
                }
            }
        }
        return nil
    }

    /// `DependsOn`, or the first property path of `resource` that refers to `target`.
    static func reason(_ resource: Resource, refersTo target: String) -> String {
        if resource.dependsOn.contains(target) { return "DependsOn" }
        var found: String?
        for (key, value) in resource.properties.entries where found == nil {
            collect(value, path: key) { name, path in if found == nil, name == target { found = path } }
        }
        return found ?? "Properties"
    }

    /// Calls `body(target, propertyPath)` for every resource name `value` refers to.
    static func collect(_ value: Value, path: String, _ body: (String, String) -> Void) {
        switch value {
        case .ref(let name): body(name, path)
        case .getAtt(let name, _): body(name, path)
        case .sub(let text, let variables):
            for name in ReferenceChecker.placeholders(in: text) where !variables.has(name) {
                body(ReferenceChecker.attributeReference(name)?.0 ?? name, path)
            }
            for (key, inner) in variables.entries { collect(inner, path: "\(path).\(key)", body) }
        case .object(let object):
            for (key, inner) in object.entries { collect(inner, path: "\(path).\(key)", body) }
        case .list(let items):
            for (index, item) in items.enumerated() { collect(item, path: "\(path)[\(index)]", body) }
        default:
            value.forEachChild { collect($0, path: path, body) }
        }
    }
}

extension Diagnostic {
    static func resourceCycle(_ cycle: [ResourceCycles.Edge], stackName: String, at resource: CfnResource) -> Diagnostic {
        let names = cycle.map(\.from) + [cycle[0].from]
        let reasons = cycle.map { "\($0.from).\($0.reason) refers to \($0.to)" }
        return Diagnostic(
            "\(resource.owner.path): resources of \(stackName) depend on each other in a cycle: \(names.joined(separator: " -> ")) (\(reasons.joined(separator: "; ")))",
            at: resource.location,
            hint: "break one link: move a policy or notification into its own resource that refers to both, or name one side by a literal instead of a reference")
    }
}
