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
    public static func firstCycle(in template: Template) -> [Edge]? {
        let ids = Set(template.resources.map(\.logicalId))
        var resources: [String: Resource] = [:]
        var edges: [String: [Edge]] = [:]
        for (logicalId, resource) in template.resources {
            resources[logicalId] = resource
            var found: [Edge] = []
            var seen = Set<String>()
            func add(_ target: String) {
                if ids.contains(target), seen.insert(target).inserted {
                    found.append(Edge(from: logicalId, to: target, reason: ""))
                }
            }
            for dependency in resource.dependsOn { add(dependency) }
            for (_, value) in resource.properties.entries { targets(of: value, add) }
            edges[logicalId] = found
        }
        // Depth-first search with colours; the stack of edges is the path to the current node.
        var state: [String: Int] = [:]  // 1 on the path, 2 done
        var path: [Edge] = []
        func visit(_ node: String) -> [Edge]? {
            state[node] = 1
            for edge in edges[node, default: []] {
                if state[edge.to] == 1 {
                    let start = path.firstIndex { $0.from == edge.to } ?? path.count
                    return Array(path[start...]) + [edge]
                }
                if state[edge.to] == nil {
                    path.append(edge)
                    if let cycle = visit(edge.to) { return cycle }
                    path.removeLast()
                }
            }
            state[node] = 2
            return nil
        }
        for (logicalId, _) in template.resources where state[logicalId] == nil {
            if let cycle = visit(logicalId) {
                // Property paths are worked out for the edges of the cycle only: building them for
                // every value of every template was most of the cost of this check.
                return cycle.map { edge in Edge(from: edge.from, to: edge.to, reason: reason(resources[edge.from]!, refersTo: edge.to)) }
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

    /// Calls `body` for every resource name `value` refers to, without building paths.
    static func targets(of value: Value, _ body: (String) -> Void) {
        switch value {
        case .ref(let name): body(name)
        case .getAtt(let name, _): body(name)
        case .sub(let text, let variables):
            for name in ReferenceChecker.placeholders(in: text) where variables[name] == nil {
                body(String(name.split(separator: ".", maxSplits: 1)[0]))
            }
            for (_, inner) in variables.entries { targets(of: inner, body) }
        case .string, .int, .double, .bool, .condition: break
        default:
            value.forEachChild { targets(of: $0, body) }
        }
    }

    /// Calls `body(target, propertyPath)` for every resource name `value` refers to.
    static func collect(_ value: Value, path: String, _ body: (String, String) -> Void) {
        switch value {
        case .ref(let name): body(name, path)
        case .getAtt(let name, _): body(name, path)
        case .sub(let text, let variables):
            for name in ReferenceChecker.placeholders(in: text) where variables[name] == nil {
                body(String(name.split(separator: ".", maxSplits: 1)[0]), path)
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
