import CloudFormation
import Foundation

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
    private var services: [String: ResourceSchemaData.Service?] = [:]
    private var patterns: [String: PatternMatcher] = [:]
    private lazy var typeNames: [String] = ResourceSchemaData.index()?.typeNames ?? []
    /// The validators ``check(_:)-([Template])`` runs on the other cores, kept for the next call.
    private var helpers: [SchemaValidator] = []

    /// False when the schema data files cannot be found (an executable run away from the checkout
    /// it was built from, without STRATUS_SCHEMA_DATA): synthesis then reports that once instead
    /// of validating.
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
        private let service: ResourceSchemaData.Service
        private let rawDefinitions: [String: Range<Int>]
        private var definitions: [String: SchemaNode?] = [:]

        init?(service: ResourceSchemaData.Service, block: Range<Int>) {
            let parts = service.parts(ofBlock: block)
            var required: [String] = [], attributes: [String] = [], readOnly: [String] = [], names: [String] = []
            let header: Void? = service.read(parts.header) { json in
                try json.object { json, key in
                    switch key {
                    case "required": required = try json.strings()
                    case "attributes": attributes = try json.strings()
                    case "readOnly": readOnly = try json.strings()
                    case "properties": names = try json.strings()
                    default: try json.skip()
                    }
                }
            }
            guard header != nil else { return nil }
            properties = SchemaProperties(service: service, names: names, ranges: parts.properties)
            self.required = required
            self.attributes = Set(attributes)
            self.readOnly = Set(readOnly)
            self.service = service
            rawDefinitions = parts.definitions
        }

        func definition(_ name: String) -> SchemaNode? {
            if let node = definitions[name] { return node }
            let node = rawDefinitions[name].flatMap { range in service.read(range) { try SchemaNode(&$0, service: service) } }
            definitions[name] = node
            return node
        }
    }

    func schema(for type: String) -> TypeSchema? {
        if let cached = schemas[type] { return cached }
        var parsed: TypeSchema?
        let parts = type.split(separator: ":", omittingEmptySubsequences: true)
        if parts.count == 3, parts[0] == "AWS" {
            let name = String(parts[1])
            if services[name] == nil { services[name] = .some(ResourceSchemaData.service(name)) }
            if let service = services[name] ?? nil, let block = service.blocks[type] { parsed = TypeSchema(service: service, block: block) }
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

    /// What ``check(_:)`` finds in one template.
    public typealias Checked = (problems: [(logicalId: String, problem: Problem)], cycle: [ResourceCycles.Edge]?)

    /// ``check(_:)`` of each template, in their order, on every core (``Parallel/map(count:workers:_:)``):
    /// each thread checks with its own validator, this one or a helper kept for the next call, so
    /// no cache is shared between threads (a type used on two cores is parsed twice).
    public func check(_ templates: [Template]) -> [Checked] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, templates.count)
        while helpers.count < workers - 1 { helpers.append(SchemaValidator()) }
        let validators = [self] + helpers
        return Parallel.map(count: templates.count, workers: workers) { worker, index in validators[worker].check(templates[index]) }
    }

    /// The problems of every resource of a template, and the first dependency cycle between its
    /// resources (see ``ResourceCycles``): one walk of every value finds both.
    public func check(_ template: Template) -> Checked {
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
                let suggestion = Suggestions.closest(to: name, among: schema.properties.names)
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
        for name in schema.required where !resource.properties.has(name) {
            walker.report("is missing the required property '\(name)'", hint: "set \(name); the registry schema of \(resource.type) requires it")
        }
        return problems + walker.problems
    }

    /// True when `text` matches `pattern`, or when the pattern is not one this platform can compile.
    func matches(_ text: String, _ pattern: String) -> Bool {
        matcher(pattern).matches(text)
    }

    /// The one matcher of `pattern`, compiled the first time it is needed.
    func matcher(_ pattern: String) -> PatternMatcher {
        if let known = patterns[pattern] { return known }
        let matcher = PatternMatcher(pattern)
        patterns[pattern] = matcher
        return matcher
    }

    /// The matcher of a node's pattern, kept on the node: looking it up by its text hashed
    /// patterns of a hundred characters for every value checked.
    func matcher(of node: SchemaNode, pattern: String) -> PatternMatcher {
        if let known = node.patternMatcher { return known }
        let found = matcher(pattern)
        node.patternMatcher = found
        return found
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
            if !node.allOf.isEmpty { for branch in node.allOf { check(value, against: branch) } }
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
            if node.kinds != 0, !value.matches(kinds: node.kinds), let kinds = node.types {
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
                if let property = node.properties?[key] {
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
                } else if node.additionalForbidden, node.properties != nil || !node.patternProperties.isEmpty {
                    let suggestion = Suggestions.closest(to: key, among: node.properties?.names ?? [])
                    report("has no property '\(path).\(key)'", hint: suggestion.map { "did you mean '\(path).\($0)'?" })
                }
            }
            for name in node.required where !object.has(name) {
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
            if let pattern = node.pattern, !validator.matcher(of: node, pattern: pattern).matches(text) {
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

/// The properties of an object schema by name, each compiled the first time a value is checked
/// against it: a resource uses a few of its type's properties, and compiling them all was a
/// third of the time spent loading schemas.
final class SchemaProperties {
    let names: [String]
    private let service: ResourceSchemaData.Service
    private let ranges: [String: Range<Int>]
    private var compiled: [String: SchemaNode?] = [:]

    /// Properties whose JSON is at `ranges` of the service's data file, in the order `names`.
    init(service: ResourceSchemaData.Service, names: [String], ranges: [String: Range<Int>]) {
        self.service = service
        self.names = names
        self.ranges = ranges
    }


    subscript(name: String) -> SchemaNode? {
        if let node = compiled[name] { return node }
        guard let range = ranges[name] else { return nil }
        let node = service.read(range) { try SchemaNode(&$0, service: service) }
        compiled[name] = node
        return node
    }
}

/// One schema fragment, compiled from its JSON once: what the walker checks a value against.
final class SchemaNode {
    // Constants, not variables: a class's `var` is read through a dynamic exclusivity check in a
    // debug build, and the walker reads these for every value.
    let ref: String?
    let types: [String]?
    let enumValues: [String]?
    let enumSet: Set<String>
    let constant: String?
    let pattern: String?
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let maxItems: Int?
    let minimum: Double?
    let maximum: Double?
    /// Nil when the fragment lists no properties.
    let properties: SchemaProperties?
    let patternProperties: [(String, SchemaNode)]
    let additional: SchemaNode?
    let additionalForbidden: Bool
    let required: [String]
    let items: SchemaNode?
    let allOf: [SchemaNode]
    let anyOf: [SchemaNode]
    /// Nothing to check: the walker returns at once.
    let isEmpty: Bool
    /// Checks besides `ref`.
    let hasOwnChecks: Bool
    let hasScalarChecks: Bool
    let isNumeric: Bool
    /// `types` as bits (see ``Value/matches(kinds:)``), 0 when any type will do: comparing type
    /// names for every value walked was a tenth of the walk in a debug build.
    let kinds: UInt8
    /// The compiled `pattern`, set by the walker when it first checks a value against it.
    var patternMatcher: PatternMatcher?

    /// Compiles the JSON object at the reader. Nested property schemas are only located here
    /// (their byte ranges in the service's file) and compiled when first used.
    init(_ json: inout SchemaJSON, service: ResourceSchemaData.Service) throws {
        var ref: String?, types: [String]?, enumValues: [String]?, constant: String?, pattern: String?
        var minLength: Int?, maxLength: Int?, minItems: Int?, maxItems: Int?, minimum: Double?, maximum: Double?
        var properties: SchemaProperties?, patternProperties: [(String, SchemaNode)] = [], additional: SchemaNode?
        var additionalForbidden = false, required: [String] = [], items: SchemaNode?
        var allOf: [SchemaNode] = [], anyOf: [SchemaNode] = [], oneOf: [SchemaNode] = []
        try json.object { json, key in
            switch key {
            case "$ref": ref = try json.string()
            case "type":
                if try json.peek() == 0x5B { types = try json.strings() } else { types = [try json.string()] }
            case "enum":
                var values: [String] = []
                try json.array { values.append(try $0.scalarText()) }
                if !values.isEmpty { enumValues = values }
            case "const": constant = try json.scalarText()
            case "pattern": pattern = try json.string()
            case "minLength": minLength = try json.integer()
            case "maxLength": maxLength = try json.integer()
            case "minItems": minItems = try json.integer()
            case "maxItems": maxItems = try json.integer()
            case "minimum": minimum = try json.number()
            case "maximum": maximum = try json.number()
            case "properties":
                var names: [String] = [], ranges: [String: Range<Int>] = [:]
                try json.object { json, name in
                    let start = json.offset
                    try json.skip()
                    names.append(name)
                    ranges[name] = start..<json.offset
                }
                if !names.isEmpty { properties = SchemaProperties(service: service, names: names, ranges: ranges) }
            case "patternProperties":
                try json.object { json, pattern in patternProperties.append((pattern, try SchemaNode(&json, service: service))) }
                patternProperties.sort { $0.0 < $1.0 }
            case "additionalProperties":
                switch try json.peek() {
                case 0x7B: additional = try SchemaNode(&json, service: service)
                case 0x74, 0x66: additionalForbidden = !(try json.bool())  // true, false
                default: try json.skip()
                }
            case "required": required = try json.strings()
            case "items":
                if try json.peek() == 0x7B { items = try SchemaNode(&json, service: service) } else { try json.skip() }
            case "allOf": try json.array { allOf.append(try SchemaNode(&$0, service: service)) }
            case "anyOf": try json.array { anyOf.append(try SchemaNode(&$0, service: service)) }
            case "oneOf": try json.array { oneOf.append(try SchemaNode(&$0, service: service)) }
            default: try json.skip()
            }
        }
        self.ref = ref
        self.types = types
        self.enumValues = enumValues
        enumSet = Set(enumValues ?? [])
        self.constant = constant
        self.pattern = pattern
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.minimum = minimum
        self.maximum = maximum
        self.properties = properties
        self.patternProperties = patternProperties
        self.additional = additional
        self.additionalForbidden = additionalForbidden
        self.required = required
        self.items = items
        self.allOf = allOf
        self.anyOf = anyOf + oneOf
        kinds = types.map { $0.reduce(0) { $0 | Value.kindBit($1) } } ?? 0
        isNumeric = types.map { $0.contains("integer") || $0.contains("number") } ?? (minimum != nil || maximum != nil)
        let hasScalarChecks = enumValues != nil || constant != nil || pattern != nil || minLength != nil || maxLength != nil || minimum != nil || maximum != nil
        self.hasScalarChecks = hasScalarChecks
        let hasOwnChecks = types != nil || hasScalarChecks || properties != nil || !patternProperties.isEmpty || additional != nil
            || additionalForbidden || !required.isEmpty || items != nil || minItems != nil || maxItems != nil || !allOf.isEmpty || !self.anyOf.isEmpty
        self.hasOwnChecks = hasOwnChecks
        isEmpty = ref == nil && !hasOwnChecks
    }
}

/// A pattern of a schema, compiled once, and its answers so far: templates repeat the same values
/// (ARNs, names, handlers) many times, and ICU matching is the slow part of validation.
final class PatternMatcher {
    private let regex: NSRegularExpression?
    private var answers: [String: Bool] = [:]

    init(_ pattern: String) {
        regex = try? NSRegularExpression(pattern: pattern)
    }

    /// True when `text` matches, or when the pattern is not one this platform can compile.
    func matches(_ text: String) -> Bool {
        if let known = answers[text] { return known }
        let result = regex.map { $0.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil } ?? true
        answers[text] = result
        return result
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
            for name in Self.placeholders(in: text) where !variables.has(name) {
                if let (target, attribute) = Self.attributeReference(name) {
                    check(.getAtt(target, attribute), into: &problems, referenced: &referenced)
                } else {
                    check(.ref(name), into: &problems, referenced: &referenced)
                }
            }
            for (_, inner) in variables.entries { check(inner, into: &problems, referenced: &referenced) }
        // The rest by hand rather than through forEachChild: its closure and the thunks around
        // it were a third of this walk in a debug build.
        case .list(let items), .and(let items), .or(let items):
            for item in items { check(item, into: &problems, referenced: &referenced) }
        case .object(let object):
            for entry in object.entries { check(entry.value, into: &problems, referenced: &referenced) }
        case .join(_, let inner), .select(_, let inner), .split(_, let inner), .not(let inner),
            .getAZs(let inner), .base64(let inner), .cidr(let inner, _, _):
            check(inner, into: &problems, referenced: &referenced)
        case .if(_, let a, let b), .equals(let a, let b), .findInMap(_, let a, let b):
            check(a, into: &problems, referenced: &referenced)
            check(b, into: &problems, referenced: &referenced)
        case .string, .int, .double, .bool, .condition, .token:
            break
        }
    }

    /// `${Name}` and `${Name.Attribute}` in a `!Sub` text, leaving out `${!Literal}`.
    static func placeholders(in text: String) -> [String] {
        // A byte scan: Foundation's range(of:) was most of validation's time on Linux.
        var text = text
        return text.withUTF8 { bytes in
            var result: [String] = []
            var index = 0
            while index + 1 < bytes.count {
                guard bytes[index] == 0x24, bytes[index + 1] == 0x7B else {  // ${
                    index += 1
                    continue
                }
                var end = index + 2
                while end < bytes.count, bytes[end] != 0x7D { end += 1 }  // }
                guard end < bytes.count else { break }
                if end == index + 2 || bytes[index + 2] != 0x21 {  // !
                    result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<end]), as: UTF8.self))
                }
                index = end + 1
            }
            return result
        }
    }

    /// `("Queue", "Arn")` for the placeholder `Queue.Arn`; nil for a name without a dot.
    static func attributeReference(_ name: String) -> (String, String)? {
        var name = name
        return name.withUTF8 { bytes in
            var index = 0
            while index < bytes.count, bytes[index] != 0x2E { index += 1 }  // .
            guard index < bytes.count else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[..<index]), as: UTF8.self),
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)...]), as: UTF8.self))
        }
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

    /// The bit of a JSON schema type name: object 1, array 2, string 4, integer 8, number 16,
    /// boolean 32, and 128 for a type no value has (null, or a name this validator does not know).
    static func kindBit(_ name: String) -> UInt8 {
        switch name {
        case "object": 1
        case "array": 2
        case "string": 4
        case "integer": 8
        case "number": 16
        case "boolean": 32
        default: 128
        }
    }

    /// True when this value has one of the JSON types `kinds` (bits of ``kindBit(_:)``), as
    /// CloudFormation reads it: a number or boolean may stand for a string, and a string that
    /// spells a number or boolean for one.
    func matches(kinds: UInt8) -> Bool {
        switch self {
        case .object: return kinds & 1 != 0
        case .list: return kinds & 2 != 0
        case .string(let text):
            if kinds & 4 != 0 { return true }
            if kinds & 8 != 0, Int(text) != nil { return true }
            if kinds & 16 != 0, Double(text) != nil { return true }
            return kinds & 32 != 0 && (text == "true" || text == "false")
        case .int: return kinds & (4 | 8 | 16) != 0
        case .double(let number): return kinds & (4 | 16) != 0 || (kinds & 8 != 0 && number == number.rounded())
        case .bool: return kinds & (4 | 32) != 0
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

extension Object {
    /// True when the object has `key`: a loop, not `self[key] == nil`, whose closure and Optional
    /// comparison cost more than the search in a debug build.
    func has(_ key: String) -> Bool {
        for entry in entries where entry.key == key { return true }
        return false
    }
}
