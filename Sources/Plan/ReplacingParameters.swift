import CloudFormation
import CloudFormationResources
import Synthesis

/// A stack parameter that a person sets at deploy time (the plan does not fill it from another
/// step) and that feeds a create-only or conditional create-only property: changing its value
/// on a later deploy replaces the resource. Listed in plan.md's review.
public struct ReplacingParameter: Codable, Equatable, Sendable {
    public let stack: String
    public let parameter: String
    public let resource: String
    public let type: String
    public let property: String
    /// `replace` or `may-replace` (a conditional create-only property).
    public let impact: ReplacementImpact

    /// "the database", "the table", ...: what a reviewer should picture.
    public var noun: String {
        switch type {
        case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster": "the database"
        case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable": "the table"
        case "AWS::S3::Bucket": "the bucket"
        case "AWS::SQS::Queue": "the queue"
        default: "the resource"
        }
    }

    static func find(in stack: SynthesizedStack) -> [ReplacingParameter] {
        let fedByPlan = Set(stack.inputs.map(\.parameter))
        let parameters = Set(stack.template.parameters.map(\.name)).subtracting(fedByPlan)
        guard !parameters.isEmpty else { return [] }
        var found: [ReplacingParameter] = []
        for (logicalId, resource) in stack.template.resources {
            for (key, value) in resource.properties.entries {
                walk(value, path: [key]) { path, name in
                    guard parameters.contains(name) else { return }
                    let impact = ResourceSchemas.impact(type: resource.type, path: path)
                    guard impact != .none else { return }
                    let item = ReplacingParameter(
                        stack: stack.stackName, parameter: name, resource: logicalId, type: resource.type,
                        property: path.joined(separator: "."), impact: impact)
                    if !found.contains(item) { found.append(item) }
                }
            }
        }
        return found
    }

    /// Calls `body` with the property path and the name of each `Ref` (and `${Name}` in a Sub).
    private static func walk(_ value: Value, path: [String], _ body: ([String], String) -> Void) {
        switch value {
        case .ref(let name): body(path, name)
        case .object(let object):
            for (key, item) in object.entries { walk(item, path: path + [key], body) }
        case .list(let items):
            for item in items { walk(item, path: path + ["*"], body) }
        case .sub(let text, let variables):
            var rest = Substring(text)
            while let start = rest.range(of: "${"), let end = rest[start.upperBound...].firstIndex(of: "}") {
                let name = String(rest[start.upperBound..<end])
                if variables.entries.allSatisfy({ $0.key != name }) { body(path, name) }
                rest = rest[rest.index(after: end)...]
            }
            for (_, item) in variables.entries { walk(item, path: path, body) }
        case .if(_, let a, let b):
            walk(a, path: path, body)
            walk(b, path: path, body)
        case .join(_, let item), .select(_, let item), .split(_, let item), .base64(let item), .not(let item), .getAZs(let item), .cidr(let item, _, _):
            walk(item, path: path, body)
        case .equals(let a, let b), .findInMap(_, let a, let b):
            walk(a, path: path, body)
            walk(b, path: path, body)
        case .and(let items), .or(let items):
            for item in items { walk(item, path: path, body) }
        case .string, .int, .double, .bool, .getAtt, .condition, .token:
            break
        }
    }
}
