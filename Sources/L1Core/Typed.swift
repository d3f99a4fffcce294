import CloudFormation
import Synthesis

/// A value a typed L1 resource can render into its template: a literal of the right type, a typed
/// list or map, a property struct, or any intrinsic.
public protocol CfnRenderable {
    var cfnValue: Value { get }
}

/// Types whose fields take a string literal: `String` and the generated enum markers.
public protocol StringLike {}
/// Types whose fields take an integer literal: `Int` and `Double`.
public protocol IntegerLike {}

extension String: StringLike {}
extension Int: IntegerLike {}
extension Double: IntegerLike {}

extension Value: CfnRenderable {
    public var cfnValue: Value { self }
}

/// A property of type `T`: a literal of that type, or any intrinsic through `.value(_:)`.
///
///     Events.Rule(in: stack, "Nightly", scheduleExpression: "rate(1 day)", state: .enabled)
///     Lambda.Permission(in: stack, "Invoke", action: "lambda:InvokeFunction",
///                       functionName: .value(function.arn), principal: "events.amazonaws.com")
///
/// `T` is a marker: `String`, `Int`, `Double`, `Bool`, or a generated enum whose known values are
/// static members (`.enabled`); an enum field still takes any string, for values newer than the
/// schema. `RoleArn: 42` does not compile.
public struct Typed<T>: CfnRenderable {
    public let cfnValue: Value

    init(cfnValue: Value) {
        self.cfnValue = cfnValue
    }

    /// Any intrinsic or token: `!Ref`, `!GetAtt`, `!Sub`, `!If`, a parameter, another construct's attribute.
    public static func value(_ value: Value) -> Typed { Typed(cfnValue: value) }

    /// `!Ref` of a resource.
    public static func ref(_ resource: CfnResource) -> Typed { Typed(cfnValue: resource.ref("Ref")) }

    /// `!Sub` of a text with `${...}` placeholders.
    public static func sub(_ text: String) -> Typed { Typed(cfnValue: .sub(text, Object())) }

    /// A string as it is; the generated enums' members use it.
    public init(rawString: String) {
        cfnValue = .string(rawString)
    }
}

extension Typed: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral,
    ExpressibleByStringLiteral, ExpressibleByStringInterpolation where T: StringLike
{
    public init(stringLiteral value: String) { cfnValue = .string(value) }
    public init(_ text: String) { cfnValue = .string(text) }
}

extension Typed: ExpressibleByIntegerLiteral where T: IntegerLike {
    public init(integerLiteral value: Int) { cfnValue = .int(value) }
    public init(_ number: Int) { cfnValue = .int(number) }
}

extension Typed: ExpressibleByFloatLiteral where T == Double {
    public init(floatLiteral value: Double) { cfnValue = .double(value) }
    public init(_ number: Double) { cfnValue = .double(number) }
}

extension Typed: ExpressibleByBooleanLiteral where T == Bool {
    public init(booleanLiteral value: Bool) { cfnValue = .bool(value) }
    public init(_ flag: Bool) { cfnValue = .bool(flag) }
}

/// A list property: an array literal of its element type, or a list-valued intrinsic
/// (`.value(zone.nameServers)`, `!Split`, a `CommaDelimitedList` parameter).
public struct List<Element: CfnRenderable>: CfnRenderable, ExpressibleByArrayLiteral {
    public let cfnValue: Value

    public init(_ elements: [Element]) { cfnValue = .list(elements.map(\.cfnValue)) }
    public init(arrayLiteral elements: Element...) { self.init(elements) }
    public static func value(_ value: Value) -> List { List(cfnValue: value) }

    init(cfnValue: Value) {
        self.cfnValue = cfnValue
    }
}

/// A map property (string keys): a dictionary literal of its element type, or an intrinsic.
public struct Map<Element: CfnRenderable>: CfnRenderable, ExpressibleByDictionaryLiteral {
    public let cfnValue: Value

    public init(_ pairs: [(String, Element)]) {
        cfnValue = .object(Object(pairs.map { ($0.0, $0.1.cfnValue) }))
    }
    public init(dictionaryLiteral elements: (String, Element)...) { self.init(elements) }
    public static func value(_ value: Value) -> Map { Map(cfnValue: value) }

    init(cfnValue: Value) {
        self.cfnValue = cfnValue
    }
}

extension Object {
    /// Sets `key` when `value` is present; what every generated renderer is made of.
    public mutating func put<T: CfnRenderable>(_ key: String, _ value: T?) {
        if let value { self[key] = value.cfnValue }
    }
}
