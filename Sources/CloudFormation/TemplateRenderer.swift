/// Turns templates and values into YAML a person would write: short-form intrinsics, CloudFormation's
/// usual key order, strings quoted only when they would read as another type.
///
/// It walks the template and hands each node straight to libyaml (`YAMLEmitter`). Intrinsic
/// functions take the flow form (`!Join [',', !Ref X]`) when every argument can be written inline,
/// which `flowable(_:)` decides from the value before its first event.
public enum TemplateRenderer {
    public static func yaml(_ template: Template) -> String {
        let emitter = YAMLEmitter()
        emit(template, to: emitter)
        return emitter.finish()
    }

    public static func yaml(_ value: Value) -> String {
        let emitter = YAMLEmitter()
        emit(value, to: emitter)
        return emitter.finish()
    }

    private static func emit(_ template: Template, to out: YAMLEmitter) {
        out.beginMapping()
        out.string("AWSTemplateFormatVersion")
        out.string("2010-09-09")
        if let description = template.description {
            out.string("Description")
            out.string(description)
        }
        section("Parameters", template.parameters, to: out) { out.string($0.name); emit($0.parameter, to: out) }
        section("Conditions", template.conditions, to: out) { out.string($0.name); emit($0.condition, to: out) }
        section("Resources", template.resources, evenIfEmpty: true, to: out) { out.string($0.logicalId); emit($0.resource, to: out) }
        section("Outputs", template.outputs, to: out) { out.string($0.name); emit($0.output, to: out) }
        out.endMapping()
    }

    /// `key:` and a mapping whose entries `write` emits, one per item (key, then value); nothing
    /// when there are no items, unless `evenIfEmpty` (`Resources: {}`).
    private static func section<Item>(
        _ key: String, _ items: [Item], evenIfEmpty: Bool = false, to out: YAMLEmitter, _ write: (Item) -> Void
    ) {
        guard evenIfEmpty || !items.isEmpty else { return }
        out.string(key)
        out.beginMapping()
        for item in items { write(item) }
        out.endMapping()
    }

    private static func emit(_ parameter: Parameter, to out: YAMLEmitter) {
        out.beginMapping()
        out.string("Type")
        out.string(parameter.type.rawValue)
        if let description = parameter.description {
            out.string("Description")
            out.string(description)
        }
        if let value = parameter.defaultValue {
            out.string("Default")
            emit(value, to: out)
        }
        if let values = parameter.allowedValues {
            out.string("AllowedValues")
            emit(.list(values), to: out)
        }
        if let pattern = parameter.allowedPattern {
            out.string("AllowedPattern")
            out.string(pattern)
        }
        if parameter.noEcho {
            out.string("NoEcho")
            out.scalar("true", style: .plain)
        }
        out.endMapping()
    }

    private static func emit(_ resource: Resource, to out: YAMLEmitter) {
        out.beginMapping()
        out.string("Type")
        out.string(resource.type)
        if let condition = resource.condition {
            out.string("Condition")
            out.string(condition)
        }
        if resource.dependsOn.count == 1 {
            out.string("DependsOn")
            out.string(resource.dependsOn[0])
        } else if !resource.dependsOn.isEmpty {
            out.string("DependsOn")
            out.beginSequence(flow: false)
            for logicalId in resource.dependsOn { out.string(logicalId) }
            out.endSequence()
        }
        if !resource.properties.isEmpty {
            out.string("Properties")
            emit(resource.properties, to: out)
        }
        if let metadata = resource.metadata {
            out.string("Metadata")
            emit(metadata, to: out)
        }
        if let policy = resource.deletionPolicy {
            out.string("DeletionPolicy")
            out.string(policy.rawValue)
        }
        if let policy = resource.updateReplacePolicy {
            out.string("UpdateReplacePolicy")
            out.string(policy.rawValue)
        }
        out.endMapping()
    }

    private static func emit(_ output: Output, to out: YAMLEmitter) {
        out.beginMapping()
        if let description = output.description {
            out.string("Description")
            out.string(description)
        }
        if let condition = output.condition {
            out.string("Condition")
            out.string(condition)
        }
        out.string("Value")
        emit(output.value, to: out)
        out.endMapping()
    }

    private static func emit(_ object: Object, to out: YAMLEmitter) {
        out.beginMapping()
        for (key, value) in object.entries {
            out.string(key)
            emit(value, to: out)
        }
        out.endMapping()
    }

    /// A function argument that is not a `Value` of its own: a delimiter, an index, a name.
    private enum Argument {
        case value(Value)
        case string(String)
        case number(Int)
    }

    private static func emit(_ value: Value, to out: YAMLEmitter) {
        switch value {
        case .string(let text): out.string(text)
        case .int(let number): out.scalar(String(number), style: .plain)
        case .double(let number): out.scalar(number.description, style: .plain)
        case .bool(let flag): out.scalar(flag ? "true" : "false", style: .plain)
        case .list(let items):
            out.beginSequence(flow: false)
            for item in items { emit(item, to: out) }
            out.endSequence()
        case .object(let object): emit(object, to: out)
        case .ref(let name): out.scalar(name, tag: "!Ref", style: .plain)
        case .getAtt(let resource, let attribute):
            // The dotted short form is ambiguous for nested attributes (Endpoint.Address): use the list form.
            if attribute.containsByte(0x2E) {  // '.'
                out.beginSequence(tag: "!GetAtt", flow: flowableString(resource) && flowableString(attribute))
                out.string(resource)
                out.string(attribute)
                out.endSequence()
            } else {
                out.scalar("\(resource).\(attribute)", tag: "!GetAtt", style: .plain)
            }
        case .sub(let text, let variables):
            if variables.isEmpty {
                tagged("!Sub", text, to: out)
            } else {
                out.beginSequence(tag: "!Sub", flow: false)
                out.string(text)
                emit(variables, to: out)
                out.endSequence()
            }
        case .join(let delimiter, let list): function("!Join", [.string(delimiter), .value(list)], to: out)
        case .select(let index, let list): function("!Select", [.number(index), .value(list)], to: out)
        case .split(let delimiter, let source): function("!Split", [.string(delimiter), .value(source)], to: out)
        case .if(let condition, let whenTrue, let whenFalse):
            function("!If", [.string(condition), .value(whenTrue), .value(whenFalse)], to: out)
        case .equals(let a, let b): function("!Equals", [.value(a), .value(b)], to: out)
        case .not(let a): function("!Not", [.value(a)], to: out)
        case .and(let items): function("!And", items.map(Argument.value), to: out)
        case .or(let items): function("!Or", items.map(Argument.value), to: out)
        case .condition(let name): out.scalar(name, tag: "!Condition", style: .plain)
        case .getAZs(let region):
            if case .string(let text) = region {
                tagged("!GetAZs", text, to: out)
            } else {
                longForm("Fn::GetAZs", region, to: out)
            }
        case .base64(let source):
            if case .string(let text) = source {
                tagged("!Base64", text, to: out)
            } else {
                longForm("Fn::Base64", source, to: out)
            }
        case .cidr(let block, let count, let bits):
            function("!Cidr", [.value(block), .number(count), .number(bits)], to: out)
        case .findInMap(let map, let key, let secondKey):
            function("!FindInMap", [.string(map), .value(key), .value(secondKey)], to: out)
        case .token(let token):
            preconditionFailure("unresolved reference \(token.displayName): synthesis must resolve tokens before rendering")
        }
    }

    private static func tagged(_ tag: StaticString, _ text: String, to out: YAMLEmitter) {
        out.scalar(text, tag: tag, style: taggedStyle(text))
    }

    private static func taggedStyle(_ text: String) -> YAMLEmitter.ScalarStyle {
        if text.containsByte(0x0A) { return .literal }
        return text.isEmpty ? .singleQuoted : .plain
    }

    private static func longForm(_ name: String, _ value: Value, to out: YAMLEmitter) {
        out.beginMapping()
        out.string(name)
        emit(value, to: out)
        out.endMapping()
    }

    /// A function whose arguments are a list: flow style (`!Join [',', !Ref X]`) when every argument
    /// is a scalar or a flow list, block style otherwise. A list argument is written inline when
    /// its items all are.
    private static func function(_ tag: StaticString, _ arguments: [Argument], to out: YAMLEmitter) {
        out.beginSequence(tag: tag, flow: arguments.allSatisfy(flowable))
        for argument in arguments {
            switch argument {
            case .string(let text): out.string(text)
            case .number(let number): out.scalar(String(number), style: .plain)
            case .value(.list(let items)):
                out.beginSequence(flow: items.allSatisfy(flowable))
                for item in items { emit(item, to: out) }
                out.endSequence()
            case .value(let value): emit(value, to: out)
            }
        }
        out.endSequence()
    }

    private static func flowable(_ argument: Argument) -> Bool {
        switch argument {
        case .string(let text): return flowableString(text)
        case .number: return true
        case .value(.list(let items)): return items.allSatisfy(flowable)
        case .value(let value): return flowable(value)
        }
    }

    /// True when `value` can be written inside a flow sequence exactly as it would be written in
    /// block context: no mapping, no block list, no `|` block, and no plain scalar with a `:`
    /// (libyaml would quote `!Ref AWS::Region` in flow context; block style keeps it plain).
    static func flowable(_ value: Value) -> Bool {
        switch value {
        case .string(let text): return flowableString(text)
        case .int, .bool: return true
        case .double(let number): return flowablePlain(number.description)
        case .list, .object, .token: return false
        case .ref(let name), .condition(let name): return flowablePlain(name)
        case .getAtt(let resource, let attribute):
            if attribute.containsByte(0x2E) { return flowableString(resource) && flowableString(attribute) }
            return flowablePlain(resource) && flowablePlain(attribute)
        case .sub(let text, let variables): return variables.isEmpty && flowableTagged(text)
        case .getAZs(let inner), .base64(let inner):
            if case .string(let text) = inner { return flowableTagged(text) }
            return false
        case .join(let delimiter, let list), .split(let delimiter, let list):
            return flowableString(delimiter) && flowable(.value(list))
        case .select(_, let list): return flowable(.value(list))
        case .if(let condition, let whenTrue, let whenFalse):
            return flowableString(condition) && flowable(.value(whenTrue)) && flowable(.value(whenFalse))
        case .equals(let a, let b): return flowable(.value(a)) && flowable(.value(b))
        case .not(let a): return flowable(.value(a))
        case .and(let items), .or(let items): return items.allSatisfy { flowable(.value($0)) }
        case .cidr(let block, _, _): return flowable(.value(block))
        case .findInMap(let map, let key, let secondKey):
            return flowableString(map) && flowable(.value(key)) && flowable(.value(secondKey))
        }
    }

    private static func flowableString(_ text: String) -> Bool { flowable(text, as: YAMLEmitter.style(ofString: text)) }
    private static func flowableTagged(_ text: String) -> Bool { flowable(text, as: taggedStyle(text)) }
    private static func flowablePlain(_ text: String) -> Bool { !text.containsByte(0x0A) && flowable(text, as: .plain) }

    /// A scalar written in `style` reads the same in flow context: not a `|` block, and not a plain
    /// scalar with a `:`.
    private static func flowable(_ text: String, as style: YAMLEmitter.ScalarStyle) -> Bool {
        switch style {
        case .literal: return false
        case .singleQuoted: return true
        case .plain: return !text.containsByte(0x3A)  // ':'
        }
    }
}
