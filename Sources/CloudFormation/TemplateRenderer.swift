/// Turns templates and values into YAML a person would write: short-form intrinsics, CloudFormation's
/// usual key order, strings quoted only when they would read as another type.
public enum TemplateRenderer {
    public static func yaml(_ template: Template) -> String {
        YAMLWriter.write(node(template))
    }

    public static func yaml(_ value: Value) -> String {
        YAMLWriter.write(node(value))
    }

    public static func node(_ template: Template) -> YAMLNode {
        var top: [(key: String, value: YAMLNode)] = [("AWSTemplateFormatVersion", .string("2010-09-09"))]
        if let description = template.description { top.append(("Description", .string(description))) }
        if !template.parameters.isEmpty {
            top.append(("Parameters", .mapping(template.parameters.map { ($0.name, node($0.parameter)) }, tag: nil)))
        }
        if !template.conditions.isEmpty {
            top.append(("Conditions", .mapping(template.conditions.map { ($0.name, node($0.condition)) }, tag: nil)))
        }
        top.append(("Resources", .mapping(template.resources.map { ($0.logicalId, node($0.resource)) }, tag: nil)))
        if !template.outputs.isEmpty {
            top.append(("Outputs", .mapping(template.outputs.map { ($0.name, node($0.output)) }, tag: nil)))
        }
        return .mapping(top, tag: nil)
    }

    static func node(_ parameter: Parameter) -> YAMLNode {
        var entries: [(key: String, value: YAMLNode)] = [("Type", .string(parameter.type.rawValue))]
        if let description = parameter.description { entries.append(("Description", .string(description))) }
        if let value = parameter.defaultValue { entries.append(("Default", node(value))) }
        if let values = parameter.allowedValues { entries.append(("AllowedValues", node(.list(values)))) }
        if let pattern = parameter.allowedPattern { entries.append(("AllowedPattern", .string(pattern))) }
        if parameter.noEcho { entries.append(("NoEcho", .plain("true"))) }
        return .mapping(entries, tag: nil)
    }

    static func node(_ resource: Resource) -> YAMLNode {
        var entries: [(key: String, value: YAMLNode)] = [("Type", .string(resource.type))]
        if let condition = resource.condition { entries.append(("Condition", .string(condition))) }
        if resource.dependsOn.count == 1 {
            entries.append(("DependsOn", .string(resource.dependsOn[0])))
        } else if !resource.dependsOn.isEmpty {
            entries.append(("DependsOn", .sequence(resource.dependsOn.map(YAMLNode.string), tag: nil, flow: false)))
        }
        if !resource.properties.isEmpty { entries.append(("Properties", node(.object(resource.properties)))) }
        if let metadata = resource.metadata { entries.append(("Metadata", node(.object(metadata)))) }
        if let policy = resource.deletionPolicy { entries.append(("DeletionPolicy", .string(policy.rawValue))) }
        if let policy = resource.updateReplacePolicy { entries.append(("UpdateReplacePolicy", .string(policy.rawValue))) }
        return .mapping(entries, tag: nil)
    }

    static func node(_ output: Output) -> YAMLNode {
        var entries: [(key: String, value: YAMLNode)] = []
        if let description = output.description { entries.append(("Description", .string(description))) }
        if let condition = output.condition { entries.append(("Condition", .string(condition))) }
        entries.append(("Value", node(output.value)))
        return .mapping(entries, tag: nil)
    }

    public static func node(_ value: Value) -> YAMLNode {
        switch value {
        case .string(let text): return .string(text)
        case .int(let number): return .plain(String(number))
        case .double(let number): return .plain(number.description)
        case .bool(let flag): return .plain(flag ? "true" : "false")
        case .list(let items): return .sequence(items.map(node), tag: nil, flow: false)
        case .object(let object): return .mapping(object.entries.map { ($0.key, node($0.value)) }, tag: nil)
        case .ref(let name): return .scalar(name, tag: "!Ref", style: .plain)
        case .getAtt(let resource, let attribute):
            // The dotted short form is ambiguous for nested attributes (Endpoint.Address): use the list form.
            if attribute.utf8.contains(0x2E) {  // '.'
                return .sequence([.string(resource), .string(attribute)], tag: "!GetAtt", flow: true)
            }
            return .scalar("\(resource).\(attribute)", tag: "!GetAtt", style: .plain)
        case .sub(let text, let variables):
            if variables.isEmpty { return tagged("!Sub", text) }
            return .sequence([.string(text), node(.object(variables))], tag: "!Sub", flow: false)
        case .join(let delimiter, let list):
            return function("!Join", [.string(delimiter), node(list)])
        case .select(let index, let list):
            return function("!Select", [.plain(String(index)), node(list)])
        case .split(let delimiter, let source):
            return function("!Split", [.string(delimiter), node(source)])
        case .if(let condition, let whenTrue, let whenFalse):
            return function("!If", [.string(condition), node(whenTrue), node(whenFalse)])
        case .equals(let a, let b): return function("!Equals", [node(a), node(b)])
        case .not(let a): return function("!Not", [node(a)])
        case .and(let items): return function("!And", items.map(node))
        case .or(let items): return function("!Or", items.map(node))
        case .condition(let name): return .scalar(name, tag: "!Condition", style: .plain)
        case .getAZs(let region):
            if case .string(let text) = region { return tagged("!GetAZs", text) }
            return .mapping([("Fn::GetAZs", node(region))], tag: nil)
        case .base64(let source):
            if case .string(let text) = source { return tagged("!Base64", text) }
            return .mapping([("Fn::Base64", node(source))], tag: nil)
        case .cidr(let block, let count, let bits):
            return function("!Cidr", [node(block), .plain(String(count)), .plain(String(bits))])
        case .findInMap(let map, let key, let secondKey):
            return function("!FindInMap", [.string(map), node(key), node(secondKey)])
        case .token(let token):
            preconditionFailure("unresolved reference \(token.displayName): synthesis must resolve tokens before rendering")
        }
    }

    private static func tagged(_ tag: String, _ text: String) -> YAMLNode {
        if text.utf8.contains(0x0A) { return .scalar(text, tag: tag, style: .literal) }
        return .scalar(text, tag: tag, style: text.isEmpty ? .singleQuoted : .plain)
    }

    /// A function whose arguments are a list: flow style (`!Join [',', !Ref X]`) when every argument
    /// is a scalar or a flow list, block style otherwise.
    private static func function(_ tag: String, _ arguments: [YAMLNode]) -> YAMLNode {
        let arguments = arguments.map { argument -> YAMLNode in
            if case .sequence(let items, let itemTag, false) = argument, items.allSatisfy(\.isFlowable) {
                return .sequence(items, tag: itemTag, flow: true)
            }
            return argument
        }
        return .sequence(arguments, tag: tag, flow: true)
    }
}
