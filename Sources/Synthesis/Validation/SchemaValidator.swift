import CloudFormation
import Foundation
import ResourceSchemaData

/// Checks resolved resources against the CloudFormation registry schemas (the compact form that
/// Scripts/generate-l1 writes into `ResourceSchemaData`), whichever way they were written: a
/// hand-written construct, a typed L1 resource or a raw `CfnResource`.
///
/// It reports unknown types, unknown properties (with "did you mean"), wrong JSON types, missing
/// required properties, enum values outside the allowed set, pattern and range violations, unknown
/// `GetAtt` attributes and `Ref`s to nothing. An intrinsic stands for a value only known at deploy
/// time, so its value is not checked, but what it points at is. Each type's schema is parsed the
/// first time a resource of that type is seen.
public final class SchemaValidator {
    private var schemas: [String: TypeSchema?] = [:]
    private var services: [String: [String: Data]] = [:]
    private var patterns: [String: NSRegularExpression?] = [:]
    /// Whether a text matches a pattern, by pattern and text: templates repeat the same values
    /// (ARNs, names, handlers) many times, and ICU matching is the slow part of validation.
    private var matches: [String: [String: Bool]] = [:]
    private lazy var typeNames: [String] = ResourceSchemaData.index()?.typeNames ?? []

    /// False when the schema data files cannot be found (a copied executable without its
    /// resource bundle): synthesis then reports that once instead of validating.
    public static var hasData: Bool { ResourceSchemaData.folder != nil }

    /// Wall seconds this validator has spent in synthesis (schema checks and the cycle check of
    /// every stack it validated), so that `synth` can say what validation costs.
    public internal(set) var seconds: Double = 0

    public init() {}

    /// One problem: the message (starting with the resource type) and an optional hint.
    public struct Problem: Equatable {
        public var message: String
        public var hint: String?
    }

    /// One resource type's schema: its property and definition JSON is parsed and compiled the
    /// first time a value is checked against it (a resource uses a few of its type's properties;
    /// parsing a whole type's JSON was a fifth of validation).
    final class TypeSchema {
        let properties: SchemaProperties
        let required: [String]
        let attributes: Set<String>
        let readOnly: Set<String>
        private let rawDefinitions: [String: Data]
        private var definitions: [String: SchemaNode?] = [:]

        init?(block: Data) {
            let parts = ResourceSchemaData.parts(ofBlock: block)
            guard let header = (try? JSONSerialization.jsonObject(with: parts.header)) as? [String: Any] else { return nil }
            let raw = parts.properties
            properties = SchemaProperties(names: header["properties"] as? [String] ?? []) { name in
                raw[name].flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
            }
            required = header["required"] as? [String] ?? []
            rawDefinitions = parts.definitions
            attributes = Set(header["attributes"] as? [String] ?? [])
            readOnly = Set(header["readOnly"] as? [String] ?? [])
        }

        func definition(_ name: String) -> SchemaNode? {
            if let node = definitions[name] { return node }
            let node = rawDefinitions[name]
                .flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] }
                .map(SchemaNode.init)
            definitions[name] = node
            return node
        }
    }

    func schema(for type: String) -> TypeSchema? {
        if let cached = schemas[type] { return cached }
        var parsed: TypeSchema?
        let parts = type.split(separator: ":", omittingEmptySubsequences: true)
        if parts.count == 3, parts[0] == "AWS" {
            let service = String(parts[1])
            if services[service] == nil { services[service] = ResourceSchemaData.schemas(ofService: service) ?? [:] }
            if let block = services[service]?[type] { parsed = TypeSchema(block: block) }
        }
        schemas[type] = parsed
        return parsed
    }

    /// True for types no registry schema describes but CloudFormation accepts: custom resources.
    static func isCustom(_ type: String) -> Bool {
        type.hasPrefix("Custom::") || type == "AWS::CloudFormation::CustomResource"
    }

    /// The problems of every resource of a template, keyed by logical id, in template order.
    public func validate(_ template: Template) -> [(logicalId: String, problem: Problem)] {
        check(template).problems
    }

    /// The problems of every resource of a template, and the first dependency cycle between its
    /// resources (see ``ResourceCycles``): one walk of every value finds both.
    public func check(_ template: Template) -> (problems: [(logicalId: String, problem: Problem)], cycle: [ResourceCycles.Edge]?) {
        var result: [(logicalId: String, problem: Problem)] = []
        var types: [String: String] = [:]
        for (logicalId, resource) in template.resources { types[logicalId] = resource.type }
        var names = Set(template.parameters.map(\.name))
        names.formUnion(types.keys)
        var targets: [String: [String]] = [:]
        for (logicalId, resource) in template.resources {
            var referenced: [String] = []
            for problem in validate(resource, resourceTypes: types, names: names, referenced: &referenced) {
                result.append((logicalId, problem))
            }
            targets[logicalId] = referenced
        }
        return (result, ResourceCycles.firstCycle(in: template, targets: targets))
    }

    func validate(_ resource: Resource, resourceTypes: [String: String], names: Set<String>, referenced: inout [String]) -> [Problem] {
        var problems: [Problem] = []
        let references = ReferenceChecker(validator: self, types: resourceTypes, names: names)
        for (_, value) in resource.properties.entries { references.check(value, into: &problems, referenced: &referenced) }
        if let metadata = resource.metadata {
            var ignored: [String] = []  // Metadata does not make CloudFormation order resources.
            for (_, value) in metadata.entries { references.check(value, into: &problems, referenced: &ignored) }
        }
        if Self.isCustom(resource.type) { return problems }
        guard let schema = schema(for: resource.type) else {
            let suggestion = Suggestions.closest(to: resource.type, among: typeNames)
            problems.append(Problem(
                message: "unknown resource type '\(resource.type)'",
                hint: suggestion.map { "did you mean '\($0)'?" } ?? "write a type of the CloudFormation registry, such as AWS::S3::Bucket, or Custom::Name for a custom resource"))
            return problems
        }
        var walker = Walker(type: resource.type, schema: schema, validator: self)
        for (name, value) in resource.properties.entries {
            guard let property = schema.properties[name] else {
                let suggestion = Suggestions.closest(to: name, among: Array(schema.properties.keys))
                walker.report("has no property '\(name)'", hint: suggestion.map { "did you mean '\($0)'?" })
                continue
            }
            if schema.readOnly.contains(name) {
                walker.report("property '\(name)' is read-only: CloudFormation sets it", hint: "read it with GetAtt instead of setting it")
                continue
            }
            walker.trail = [.key(name)]
            walker.check(value, against: property)
        }
        for name in schema.required where resource.properties[name] == nil {
            walker.report("is missing the required property '\(name)'", hint: "set \(name); the registry schema of \(resource.type) requires it")
        }
        return problems + walker.problems
    }

    /// True when `text` matches `pattern`, or when the pattern is not one this platform can compile.
    func matches(_ text: String, _ pattern: String) -> Bool {
        if let known = matches[pattern]?[text] { return known }
        let result = regex(pattern).map { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil } ?? true
        matches[pattern, default: [:]][text] = result
        return result
    }

    func regex(_ pattern: String) -> NSRegularExpression? {
        if let cached = patterns[pattern] { return cached }
        let compiled = try? NSRegularExpression(pattern: pattern)
        patterns[pattern] = compiled
        return compiled
    }

    /// Walks one property value against its schema, collecting problems.
    struct Walker {
        let type: String
        let schema: TypeSchema
        let validator: SchemaValidator
        var problems: [Problem] = []
        var depth = 0
        /// Where the walk is: property names and list indexes from the resource's property down.
        /// The text form is built only for a report, not for every value walked.
        var trail: [Step] = []

        enum Step {
            case key(String)
            case index(Int)
        }

        /// `Code.S3Key`, `Tags[2].Key`.
        var path: String {
            var text = ""
            for step in trail {
                switch step {
                case .key(let key): text += text.isEmpty ? key : ".\(key)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        init(type: String, schema: TypeSchema, validator: SchemaValidator) {
            self.type = type
            self.schema = schema
            self.validator = validator
        }

        mutating func report(_ text: String, hint: String? = nil) {
            problems.append(Problem(message: "\(type) \(text)", hint: hint))
        }

        mutating func check(_ value: Value, against node: SchemaNode) {
            if value.isIntrinsic || node.isEmpty { return }
            depth += 1
            defer { depth -= 1 }
            if depth > 64 { return }
            if let ref = node.ref {
                if let target = schema.definition(ref) { check(value, against: target) }
                if !node.hasOwnChecks { return }
            }
            for branch in node.allOf { check(value, against: branch) }
            if !node.anyOf.isEmpty {
                var best: [Problem]?
                for branch in node.anyOf {
                    var trial = Walker(type: type, schema: schema, validator: validator)
                    trial.depth = depth
                    trial.trail = trail
                    trial.check(value, against: branch)
                    if trial.problems.isEmpty { best = []; break }
                    if best == nil || trial.problems.count < best!.count { best = trial.problems }
                }
                problems += best ?? []
                if best?.isEmpty == false { return }
            }
            if let kinds = node.types, !kinds.contains(where: { value.matches(jsonType: $0) }) {
                report("property '\(path)' must be \(Self.describe(kinds)), not \(value.jsonTypeName)", hint: Self.typeHint(kinds))
                return
            }
            switch value {
            case .object(let object):
                checkObject(object, against: node)
            case .list(let items):
                if let minimum = node.minItems, items.count < minimum {
                    report("property '\(path)' has \(items.count) items; it needs at least \(minimum)")
                }
                if let maximum = node.maxItems, items.count > maximum {
                    report("property '\(path)' has \(items.count) items; it allows at most \(maximum)")
                }
                if let element = node.items {
                    for (index, item) in items.enumerated() {
                        trail.append(.index(index))
                        check(item, against: element)
                        trail.removeLast()
                    }
                }
            case .string(let text):
                if node.hasScalarChecks { checkScalar(text, number: node.isNumeric ? Double(text) : nil, against: node) }
            case .int(let number):
                if node.hasScalarChecks { checkScalar(String(number), number: Double(number), against: node) }
            case .double(let number):
                if node.hasScalarChecks { checkScalar(String(number), number: number, against: node) }
            case .bool(let flag):
                if node.hasScalarChecks { checkScalar(flag ? "true" : "false", number: nil, against: node) }
            default:
                break
            }
        }

        mutating func checkObject(_ object: Object, against node: SchemaNode) {
            for (key, value) in object.entries {
                if let property = node.properties[key] {
                    trail.append(.key(key))
                    check(value, against: property)
                    trail.removeLast()
                    continue
                }
                if let (_, sub) = node.patternProperties.first(where: { pattern, _ in validator.matches(key, pattern) }) {
                    trail.append(.key(key))
                    check(value, against: sub)
                    trail.removeLast()
                    continue
                }
                if let additional = node.additional {
                    trail.append(.key(key))
                    check(value, against: additional)
                    trail.removeLast()
                } else if node.additionalForbidden, !node.properties.isEmpty || !node.patternProperties.isEmpty {
                    let suggestion = Suggestions.closest(to: key, among: Array(node.properties.keys))
                    report("has no property '\(path).\(key)'", hint: suggestion.map { "did you mean '\(path).\($0)'?" })
                }
            }
            for name in node.required where object[name] == nil {
                report("property '\(path)' is missing the required field '\(name)'", hint: "set \(path).\(name)")
            }
        }

        mutating func checkScalar(_ text: String, number: Double?, against node: SchemaNode) {
            if let options = node.enumValues, !node.enumSet.contains(text) {
                let suggestion = Suggestions.closest(to: text, among: options)
                let listed = options.count <= 12 ? options.joined(separator: ", ") : options.prefix(12).joined(separator: ", ") + ", ..."
                report("property '\(path)' is '\(text)', which is not one of \(listed)", hint: suggestion.map { "did you mean '\($0)'?" })
            }
            if let constant = node.constant, constant != text {
                report("property '\(path)' must be '\(constant)', not '\(text)'")
            }
            if let pattern = node.pattern, !validator.matches(text, pattern) {
                report("property '\(path)' is '\(text)', which does not match the pattern \(pattern)")
            }
            if let minimum = node.minLength, text.count < minimum {
                report("property '\(path)' is \(text.count) characters long; it needs at least \(minimum)")
            }
            if let maximum = node.maxLength, text.count > maximum {
                report("property '\(path)' is \(text.count) characters long; it allows at most \(maximum)")
            }
            if let number, node.isNumeric {
                if let minimum = node.minimum, number < minimum {
                    report("property '\(path)' is \(text), below the minimum \(Self.format(minimum))")
                }
                if let maximum = node.maximum, number > maximum {
                    report("property '\(path)' is \(text), above the maximum \(Self.format(maximum))")
                }
            }
        }

        static func describe(_ kinds: [String]) -> String {
            let words = kinds.map { kind -> String in
                switch kind {
                case "object": "an object"
                case "array": "a list"
                case "integer": "an integer"
                case "number": "a number"
                case "boolean": "a boolean"
                default: "a \(kind)"
                }
            }
            return words.joined(separator: " or ")
        }

        static func typeHint(_ kinds: [String]) -> String? {
            if kinds == ["array"] { return "wrap a single value in a list: [value]" }
            return nil
        }

        static func format(_ number: Double) -> String {
            number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
    }
}

/// One schema fragment, compiled from its JSON once: what the walker checks a value against.
/// The properties of an object schema by name, each compiled the first time a value is checked
/// against it: a resource uses a few of its type's properties, and compiling them all was a
/// third of the time spent loading schemas.
final class SchemaProperties {
    let names: [String]
    private let body: (String) -> [String: Any]?
    private var compiled: [String: SchemaNode?] = [:]

    /// Properties whose JSON `body(name)` gives, parsed or not yet.
    init(names: [String], body: @escaping (String) -> [String: Any]?) {
        self.names = names
        self.body = body
    }

    convenience init(_ bodies: [String: Any]) {
        self.init(names: Array(bodies.keys)) { bodies[$0] as? [String: Any] }
    }

    var isEmpty: Bool { names.isEmpty }
    var keys: [String] { names }

    subscript(name: String) -> SchemaNode? {
        if let node = compiled[name] { return node }
        let node = body(name).map(SchemaNode.init)
        compiled[name] = node
        return node
    }
}

final class SchemaNode {
    var ref: String?
    var types: [String]?
    var enumValues: [String]?
    var enumSet: Set<String> = []
    var constant: String?
    var pattern: String?
    var minLength: Int?
    var maxLength: Int?
    var minItems: Int?
    var maxItems: Int?
    var minimum: Double?
    var maximum: Double?
    var properties = SchemaProperties([:])
    var patternProperties: [(String, SchemaNode)] = []
    var additional: SchemaNode?
    var additionalForbidden = false
    var required: [String] = []
    var items: SchemaNode?
    var allOf: [SchemaNode] = []
    var anyOf: [SchemaNode] = []
    /// Nothing to check: the walker returns at once.
    private(set) var isEmpty = true
    /// Checks besides `ref`.
    private(set) var hasOwnChecks = false
    private(set) var hasScalarChecks = false
    private(set) var isNumeric = false

    init(_ json: [String: Any]) {
        // One pass over the keys a fragment has (three or four, typically), not a lookup and a
        // cast for each of the twenty it might have: compiling nodes was a third of validation.
        var anyOf: [[String: Any]] = [], oneOf: [[String: Any]] = []
        for (key, value) in json {
            switch key {
            case "$ref": ref = value as? String
            case "type":
                if let kind = value as? String { types = [kind] } else if let kinds = value as? [String] { types = kinds }
            case "enum":
                if let values = value as? [Any], !values.isEmpty {
                    // Most values are strings: describing an `Any` goes through protocol-conformance lookups.
                    enumValues = values.map { $0 as? String ?? "\($0)" }
                    enumSet = Set(enumValues!)
                }
            case "const": constant = value as? String ?? "\(value)"
            case "pattern": pattern = value as? String
            case "minLength": minLength = value as? Int
            case "maxLength": maxLength = value as? Int
            case "minItems": minItems = value as? Int
            case "maxItems": maxItems = value as? Int
            case "minimum": minimum = (value as? NSNumber)?.doubleValue
            case "maximum": maximum = (value as? NSNumber)?.doubleValue
            case "properties":
                if let bodies = value as? [String: Any] { properties = SchemaProperties(bodies) }
            case "patternProperties":
                for (pattern, body) in (value as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    if let body = body as? [String: Any] { patternProperties.append((pattern, SchemaNode(body))) }
                }
            case "additionalProperties":
                if let body = value as? [String: Any] { additional = SchemaNode(body) }
                if (value as? Bool) == false { additionalForbidden = true }
            case "required": required = value as? [String] ?? []
            case "items":
                if let body = value as? [String: Any] { items = SchemaNode(body) }
            case "allOf": allOf = (value as? [[String: Any]] ?? []).map(SchemaNode.init)
            case "anyOf": anyOf = value as? [[String: Any]] ?? []
            case "oneOf": oneOf = value as? [[String: Any]] ?? []
            default: break
            }
        }
        self.anyOf = (anyOf + oneOf).map(SchemaNode.init)
        if let types { isNumeric = types.contains("integer") || types.contains("number") } else { isNumeric = minimum != nil || maximum != nil }
        hasScalarChecks = enumValues != nil || constant != nil || pattern != nil || minLength != nil || maxLength != nil || minimum != nil || maximum != nil
        hasOwnChecks = types != nil || hasScalarChecks || !properties.isEmpty || !patternProperties.isEmpty || additional != nil
            || additionalForbidden || !required.isEmpty || items != nil || minItems != nil || maxItems != nil || !allOf.isEmpty || !anyOf.isEmpty
        isEmpty = ref == nil && !hasOwnChecks
    }
}

/// Checks what intrinsics point at: `Ref`s to a resource or parameter of the template and
/// `GetAtt`s of attributes the target's type has.
struct ReferenceChecker {
    let validator: SchemaValidator
    let types: [String: String]
    let names: Set<String>

    /// Reports what `value` points at wrongly, and appends the names it refers to (`Ref`,
    /// `GetAtt`, `${...}`) to `referenced`.
    func check(_ value: Value, into problems: inout [SchemaValidator.Problem], referenced: inout [String]) {
        switch value {
        case .ref(let name):
            referenced.append(name)
            if !name.hasPrefix("AWS::"), !names.contains(name) {
                let suggestion = Suggestions.closest(to: name, among: Array(names))
                problems.append(.init(message: "refers to '\(name)', which is not a resource or parameter of this template", hint: suggestion.map { "did you mean '\($0)'?" }))
            }
        case .getAtt(let target, let attribute):
            referenced.append(target)
            guard let type = types[target] else {
                let suggestion = Suggestions.closest(to: target, among: Array(types.keys))
                problems.append(.init(message: "GetAtt of '\(target).\(attribute)', but '\(target)' is not a resource of this template", hint: suggestion.map { "did you mean '\($0)'?" }))
                return
            }
            if SchemaValidator.isCustom(type) { return }
            if let schema = validator.schema(for: type), !schema.attributes.contains(attribute) {
                let suggestion = Suggestions.closest(to: attribute, among: Array(schema.attributes))
                problems.append(.init(
                    message: "GetAtt '\(target).\(attribute)': \(type) has no attribute '\(attribute)'",
                    hint: suggestion.map { "did you mean '\($0)'?" } ?? "its attributes are \(schema.attributes.sorted().joined(separator: ", "))"))
            }
        case .sub(let text, let variables):
            for name in Self.placeholders(in: text) where variables[name] == nil {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    check(.getAtt(parts[0], parts[1]), into: &problems, referenced: &referenced)
                } else {
                    check(.ref(name), into: &problems, referenced: &referenced)
                }
            }
            for (_, inner) in variables.entries { check(inner, into: &problems, referenced: &referenced) }
        default:
            value.forEachChild { check($0, into: &problems, referenced: &referenced) }
        }
    }

    /// `${Name}` and `${Name.Attribute}` in a `!Sub` text, leaving out `${!Literal}`.
    static func placeholders(in text: String) -> [String] {
        // A byte scan: Foundation's range(of:) was most of validation's time on Linux.
        var result: [String] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            var end = index + 2
            while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
            guard end < bytes.count else { break }
            let name = bytes[(index + 2)..<end]
            if name.first != UInt8(ascii: "!") { result.append(String(decoding: name, as: UTF8.self)) }
            index = end + 1
        }
        return result
    }
}

/// "Did you mean": the closest candidate by edit distance, if it is close enough to be a typo.
enum Suggestions {
    static func closest(to word: String, among candidates: [String]) -> String? {
        if let sameCase = candidates.first(where: { $0.lowercased() == word.lowercased() }) { return sameCase }
        var best: (String, Int)?
        let limit = max(2, word.count / 3)
        for candidate in candidates.sorted() {
            let distance = editDistance(word, candidate, limit: limit)
            if distance <= limit, best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.lowercased().utf8), b = Array(b.lowercased().utf8)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : (b.isEmpty ? a.count : previous[b.count])
    }
}

extension Value {
    /// True for an intrinsic function or reference: a value only known at deploy time.
    var isIntrinsic: Bool {
        switch self {
        case .string, .int, .double, .bool, .list, .object: false
        default: true
        }
    }

    func matches(jsonType: String) -> Bool {
        switch (self, jsonType) {
        case (.object, "object"), (.list, "array"): return true
        case (.string, "string"), (.int, "string"), (.double, "string"), (.bool, "string"): return true
        case (.int, "integer"), (.int, "number"), (.double, "number"): return true
        case (.double(let number), "integer"): return number == number.rounded()
        case (.string(let text), "integer"): return Int(text) != nil
        case (.string(let text), "number"): return Double(text) != nil
        case (.bool, "boolean"): return true
        case (.string(let text), "boolean"): return text == "true" || text == "false"
        default: return false
        }
    }

    var jsonTypeName: String {
        switch self {
        case .object: "an object"
        case .list: "a list"
        case .string(let text): "the string '\(text)'"
        case .int(let number): "the number \(number)"
        case .double(let number): "the number \(number)"
        case .bool(let flag): "the boolean \(flag)"
        default: "an intrinsic"
        }
    }

    /// Calls `body` for each value directly inside this one.
    func forEachChild(_ body: (Value) -> Void) {
        switch self {
        case .list(let items), .and(let items), .or(let items): items.forEach(body)
        case .object(let object): object.entries.forEach { body($0.value) }
        case .sub(_, let variables): variables.entries.forEach { body($0.value) }
        case .join(_, let value), .select(_, let value), .split(_, let value), .not(let value),
            .getAZs(let value), .base64(let value), .cidr(let value, _, _):
            body(value)
        case .if(_, let a, let b), .equals(let a, let b), .findInMap(_, let a, let b):
            body(a)
            body(b)
        default: break
        }
    }
}
