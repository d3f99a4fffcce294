import Foundation

/// A value that late-binds to something only synthesis can name, such as an attribute of a
/// resource whose logical id and stack are decided later. Synthesis replaces every token with
/// `Ref`/`GetAtt` inside one stack, or with a `Ref` to a Parameter fed from another stack's Output.
public protocol Token: AnyObject {
    /// True when the token stands for a list (for example a hosted zone's `NameServers`).
    var isList: Bool { get }
    /// How the token reads in a message: `dev/Dns/Zone.NameServers`.
    var displayName: String { get }
}

/// A CloudFormation value: a literal, a list, an object, or an intrinsic function.
///
/// Objects keep their keys in the order they were written, so generated templates read the way
/// a person would write them and stay byte-identical between runs.
public indirect enum Value {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([Value])
    case object(Object)
    /// `!Ref Name`: a resource, a parameter or a pseudo parameter such as `AWS::AccountId`.
    case ref(String)
    /// `!GetAtt Resource.Attribute`.
    case getAtt(String, String)
    /// `!Sub 'text ${Name}'`, with optional variables.
    case sub(String, Object)
    /// `!Join [delimiter, list]`; the list is a `.list` or any list-valued intrinsic.
    case join(String, Value)
    case select(Int, Value)
    case split(String, Value)
    case `if`(String, Value, Value)
    case equals(Value, Value)
    case not(Value)
    case and([Value])
    case or([Value])
    case condition(String)
    case getAZs(Value)
    case base64(Value)
    case cidr(Value, Int, Int)
    case findInMap(String, Value, Value)
    /// A late-bound reference; must be resolved by synthesis before rendering.
    case token(any Token)

    // MARK: Pseudo parameters

    public static var accountId: Value { Value.ref("AWS::AccountId") }
    public static var region: Value { Value.ref("AWS::Region") }
    public static var partition: Value { Value.ref("AWS::Partition") }
    public static var stackName: Value { Value.ref("AWS::StackName") }
    public static var stackId: Value { Value.ref("AWS::StackId") }
    public static var urlSuffix: Value { Value.ref("AWS::URLSuffix") }
    public static var noValue: Value { Value.ref("AWS::NoValue") }
    public static var notificationARNs: Value { Value.ref("AWS::NotificationARNs") }

    /// Builds an object from ordered pairs, dropping pairs whose value is `nil`.
    public static func object(_ pairs: KeyValuePairs<String, Value?>) -> Value {
        var object = Object()
        for (key, value) in pairs {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    /// True when this value, or anything inside it, is an unresolved token.
    public var containsToken: Bool {
        var found = false
        forEachToken { _ in found = true }
        return found
    }

    /// Calls `body` for every token inside this value, depth first.
    public func forEachToken(_ body: (any Token) -> Void) {
        switch self {
        case .token(let token): body(token)
        case .string, .int, .double, .bool, .ref, .getAtt, .condition: break
        case .list(let items), .and(let items), .or(let items):
            for item in items { item.forEachToken(body) }
        case .object(let object):
            for entry in object.entries { entry.value.forEachToken(body) }
        case .sub(_, let variables):
            for entry in variables.entries { entry.value.forEachToken(body) }
        case .join(_, let value), .select(_, let value), .split(_, let value), .not(let value),
             .getAZs(let value), .base64(let value), .cidr(let value, _, _):
            value.forEachToken(body)
        case .if(_, let a, let b), .equals(let a, let b), .findInMap(_, let a, let b):
            a.forEachToken(body)
            b.forEachToken(body)
        }
    }

    /// Returns a copy with every token replaced by `transform(token)`.
    public func resolvingTokens(_ transform: (any Token) throws -> Value) rethrows -> Value {
        try resolvedTokens(transform) ?? self
    }

    /// ``resolvingTokens(_:)``, or nil when the value holds no token: only the parts that change
    /// are copied (rebuilding every value of every resource was a tenth of synthesis).
    func resolvedTokens(_ transform: (any Token) throws -> Value) rethrows -> Value? {
        switch self {
        case .token(let token): return try transform(token)
        case .string, .int, .double, .bool, .ref, .getAtt, .condition: return nil
        case .list(let items): return try Value.changed(items) { try $0.resolvedTokens(transform) }.map { .list($0) }
        case .and(let items): return try Value.changed(items) { try $0.resolvedTokens(transform) }.map { .and($0) }
        case .or(let items): return try Value.changed(items) { try $0.resolvedTokens(transform) }.map { .or($0) }
        case .object(let object): return try object.changedValues { try $0.resolvedTokens(transform) }.map { .object($0) }
        case .sub(let text, let variables):
            return try variables.changedValues { try $0.resolvedTokens(transform) }.map { .sub(text, $0) }
        case .join(let d, let value): return try value.resolvedTokens(transform).map { .join(d, $0) }
        case .select(let i, let value): return try value.resolvedTokens(transform).map { .select(i, $0) }
        case .split(let d, let value): return try value.resolvedTokens(transform).map { .split(d, $0) }
        case .not(let value): return try value.resolvedTokens(transform).map { .not($0) }
        case .getAZs(let value): return try value.resolvedTokens(transform).map { .getAZs($0) }
        case .base64(let value): return try value.resolvedTokens(transform).map { .base64($0) }
        case .cidr(let value, let count, let bits): return try value.resolvedTokens(transform).map { .cidr($0, count, bits) }
        case .if(let c, let a, let b):
            let (newA, newB) = (try a.resolvedTokens(transform), try b.resolvedTokens(transform))
            return newA == nil && newB == nil ? nil : .if(c, newA ?? a, newB ?? b)
        case .equals(let a, let b):
            let (newA, newB) = (try a.resolvedTokens(transform), try b.resolvedTokens(transform))
            return newA == nil && newB == nil ? nil : .equals(newA ?? a, newB ?? b)
        case .findInMap(let m, let a, let b):
            let (newA, newB) = (try a.resolvedTokens(transform), try b.resolvedTokens(transform))
            return newA == nil && newB == nil ? nil : .findInMap(m, newA ?? a, newB ?? b)
        }
    }

    /// `items` with each item `transform` changes replaced, or nil when it changes none.
    static func changed(_ items: [Value], _ transform: (Value) throws -> Value?) rethrows -> [Value]? {
        var copy: [Value]?
        for index in items.indices {
            if let new = try transform(items[index]) {
                if copy == nil { copy = items }
                copy![index] = new
            }
        }
        return copy
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        var object = Object()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}

extension Value: Equatable {
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.list(a), .list(b)), let (.and(a), .and(b)), let (.or(a), .or(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        case let (.ref(a), .ref(b)), let (.condition(a), .condition(b)): return a == b
        case let (.getAtt(a1, a2), .getAtt(b1, b2)): return a1 == b1 && a2 == b2
        case let (.sub(a1, a2), .sub(b1, b2)): return a1 == b1 && a2 == b2
        case let (.join(a1, a2), .join(b1, b2)), let (.split(a1, a2), .split(b1, b2)): return a1 == b1 && a2 == b2
        case let (.select(a1, a2), .select(b1, b2)): return a1 == b1 && a2 == b2
        case let (.if(a1, a2, a3), .if(b1, b2, b3)): return a1 == b1 && a2 == b2 && a3 == b3
        case let (.equals(a1, a2), .equals(b1, b2)): return a1 == b1 && a2 == b2
        case let (.not(a), .not(b)), let (.getAZs(a), .getAZs(b)), let (.base64(a), .base64(b)): return a == b
        case let (.cidr(a1, a2, a3), .cidr(b1, b2, b3)): return a1 == b1 && a2 == b2 && a3 == b3
        case let (.findInMap(a1, a2, a3), .findInMap(b1, b2, b3)): return a1 == b1 && a2 == b2 && a3 == b3
        case let (.token(a), .token(b)): return a === b
        default: return false
        }
    }
}

/// An ordered string-keyed map. Setting an existing key replaces its value in place.
public struct Object: Equatable {
    public private(set) var entries: [(key: String, value: Value)] = []

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// The object with each value `transform` changes replaced, or nil when it changes none.
    func changedValues(_ transform: (Value) throws -> Value?) rethrows -> Object? {
        var copy: Object?
        for index in entries.indices {
            if let new = try transform(entries[index].value) {
                if copy == nil { copy = self }
                copy!.entries[index].value = new
            }
        }
        return copy
    }

    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> Object {
        var copy = self
        for index in copy.entries.indices {
            copy.entries[index].value = try transform(copy.entries[index].value)
        }
        return copy
    }

    public static func == (lhs: Object, rhs: Object) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension Object: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }
}

extension Value {
    /// Folds `!Sub` variables that are plain references into the text (`${Api}` instead of a
    /// variable `Api: !Ref Api`), recursively. Done after synthesis has resolved references, so the
    /// templates read the way a person writes them.
    public func inliningSubVariables() -> Value {
        inlinedSubVariables() ?? self
    }

    /// ``inliningSubVariables()``, or nil when there is nothing to fold: only the parts that
    /// change are copied.
    func inlinedSubVariables() -> Value? {
        switch self {
        case .sub(var text, let variables):
            var kept = Object()
            var changed = false
            for (name, value) in variables.entries {
                let inline: String?
                switch value {
                case .ref(let target): inline = target
                case .getAtt(let resource, let attribute): inline = "\(resource).\(attribute)"
                default: inline = nil
                }
                if let inline {
                    text = text.replacingBytes(of: "${\(name)}", with: "${\(inline)}")
                    changed = true
                } else if let new = value.inlinedSubVariables() {
                    kept[name] = new
                    changed = true
                } else {
                    kept[name] = value
                }
            }
            return changed ? .sub(text, kept) : nil
        case .list(let items): return Value.changed(items) { $0.inlinedSubVariables() }.map { .list($0) }
        case .object(let object): return object.changedValues { $0.inlinedSubVariables() }.map { .object($0) }
        case .join(let d, let v): return v.inlinedSubVariables().map { .join(d, $0) }
        case .select(let i, let v): return v.inlinedSubVariables().map { .select(i, $0) }
        case .if(let c, let a, let b):
            let (newA, newB) = (a.inlinedSubVariables(), b.inlinedSubVariables())
            return newA == nil && newB == nil ? nil : .if(c, newA ?? a, newB ?? b)
        case .base64(let v): return v.inlinedSubVariables().map { .base64($0) }
        default: return nil
        }
    }
}

extension String {
    /// The text with every occurrence of `target` replaced, left to right, compared byte by byte.
    /// Use it on hot paths instead of Foundation's `replacingOccurrences(of:with:)`, which on Linux
    /// goes through NSString and was most of the time of folding Sub variables.
    public func replacingBytes(of target: String, with replacement: String) -> String {
        var text = self, target = target
        let replaced: [UInt8]? = text.withUTF8 { bytes in
            target.withUTF8 { pattern in
                guard let first = pattern.first, let base = bytes.baseAddress, bytes.count >= pattern.count else { return nil }
                var result: [UInt8] = []
                var index = 0, copied = 0
                while index + pattern.count <= bytes.count {
                    // memchr to the next candidate: most texts hold none.
                    guard let found = memchr(base + index, Int32(first), bytes.count - index) else { break }
                    index = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                    guard index + pattern.count <= bytes.count else { break }
                    if bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                        if result.isEmpty { result.reserveCapacity(bytes.count + 16) }
                        result.append(contentsOf: bytes[copied..<index])
                        result.append(contentsOf: replacement.utf8)
                        index += pattern.count
                        copied = index
                    } else {
                        index += 1
                    }
                }
                if copied == 0 { return nil }
                result.append(contentsOf: bytes[copied...])
                return result
            }
        }
        return replaced.map { String(decoding: $0, as: UTF8.self) } ?? self
    }
}
