import CloudFormation

/// One CloudFormation resource in the construct tree: the layer every construct builds on.
///
/// Its logical id is the PascalCase of its path below the stack, where a path component named
/// `Resource` is left out: the resource `Resource` of construct `Dns/Zone` is `Zone`, and
/// `Dns/Api/Role` is `ApiRole`. `overrideLogicalId(_:)` pins the id of a resource that already exists.
///
/// Used directly it is the untyped escape hatch: `properties` is written as it is. The generated
/// typed L1 resources (`Events.Rule`, `StepFunctions.StateMachine`, ...) subclass it and render their
/// typed fields through `typedProperties()`; `properties` then adds to or replaces what they render.
open class CfnResource: Construct {
    /// The CloudFormation type, e.g. `AWS::Route53::HostedZone`.
    public let type: String
    /// Untyped properties. On a typed L1 resource, these are written over its typed fields.
    public var properties: Object
    /// Template metadata (for example a scanner's justified suppressions).
    public var metadata: Object?
    /// What the construct decided about security scanner checks on this resource; justified ones
    /// are written into `Metadata` (checkov's skip list) and every one is listed in the plan.
    public internal(set) var securityDecisions: [SecurityDecision] = []
    private var overrides: [(path: [String], value: Value?)] = []
    /// Resources that must be created first. One in another stack orders the stacks instead.
    public var dependsOn: [CfnResource] = []
    public var deletionPolicy: DeletionPolicy?
    public var updateReplacePolicy: DeletionPolicy?
    public var condition: String?
    public private(set) var logicalIdOverride: String?

    @discardableResult
    public init(
        in scope: Construct, _ id: String = "Resource", type: String, properties: Object = Object(),
        file: String = #fileID, line: Int = #line
    ) {
        self.type = type
        self.properties = properties
        super.init(in: scope, id, file: file, line: line)
    }

    /// The construct this resource stands for: its parent when its id is `Resource`, else itself.
    public var owner: Construct {
        id == "Resource" ? parent ?? self : self
    }

    /// What the typed fields of a generated L1 resource render to; nothing for a raw resource.
    open func typedProperties() -> Object { Object() }

    /// The properties written to the template: the typed fields, then `properties`, then each
    /// override in the order it was added.
    public func renderedProperties() -> Object {
        var result = typedProperties()
        for (key, value) in properties.entries { result[key] = value }
        for override in overrides { result = Self.setting(override.value, at: override.path[...], in: result) }
        return result
    }

    /// Sets (or with `nil`, removes) a property at a dotted path, creating objects on the way:
    /// `addPropertyOverride("LoggingConfig.LogFormat", "JSON")`. The last resort below the typed
    /// fields, for a value the schema or the construct does not offer yet.
    public func addPropertyOverride(_ path: String, _ value: Value?) {
        overrides.append((path.split(separator: ".").map(String.init), value))
    }

    private static func setting(_ value: Value?, at path: ArraySlice<String>, in object: Object) -> Object {
        guard let key = path.first else { return object }
        var copy = object
        if path.count == 1 {
            copy[key] = value
        } else {
            var inner = Object()
            if case .object(let existing)? = object[key] { inner = existing }
            copy[key] = .object(setting(value, at: path.dropFirst(), in: inner))
        }
        return copy
    }

    /// Uses `logicalId` instead of the one derived from the path.
    public func overrideLogicalId(_ logicalId: String) {
        logicalIdOverride = logicalId
    }


    /// `!Ref` of this resource; `name` says what the reference returns (`Id`, `Arn`, `Name`) and
    /// names the Output when another stack uses it.
    public func ref(_ name: String) -> Value {
        .token(ResourceReference(resource: self, attribute: nil, name: name, isList: false))
    }

    /// `!GetAtt` of this resource.
    public func attribute(_ attribute: String, list: Bool = false) -> Value {
        .token(ResourceReference(resource: self, attribute: attribute, name: attribute, isList: list))
    }

    public override func validate() -> [Diagnostic] {
        if let logicalIdOverride, !LogicalIds.isValid(logicalIdOverride) {
            return [.construct(self, "logical id override '\(logicalIdOverride)' must be 1 to 255 letters and digits", hint: "CloudFormation logical ids are alphanumeric")]
        }
        if stack == nil {
            return [.construct(self, "resource is not inside a stack", hint: "create it under a Stack")]
        }
        return securityDecisions.filter { $0.kind == .justified && Self.isShorterThanASentence($0.reason) }.map { decision in
            .construct(
                owner, "the justification of \(decision.check) on \(type) is not a sentence ('\(decision.reason)')",
                hint: "say why the check does not apply here, in words a reviewer can verify (at least \(SecurityDecision.minimumReasonLength) characters)")
        }
    }
}

extension CfnResource {
    /// Fewer Characters than ``SecurityDecision/minimumReasonLength``, counted without walking
    /// grapheme clusters where the bytes tell.
    static func isShorterThanASentence(_ reason: String) -> Bool {
        let minimum = SecurityDecision.minimumReasonLength
        if reason.utf8.count < minimum { return true }
        // The first `minimum` bytes each start a Character of their own when they are ASCII
        // without a carriage return; only the prefix needs looking at.
        if reason.utf8.prefix(minimum).allSatisfy({ $0 < 0x80 && $0 != 0x0D }) { return false }
        return reason.count < minimum
    }
}

/// A reference to a resource (`!Ref`) or one of its attributes (`!GetAtt`), resolved by synthesis.
public final class ResourceReference: Token {
    public let resource: CfnResource
    /// The attribute for `!GetAtt`, or nil for `!Ref`.
    public let attribute: String?
    /// What the reference stands for, used to name Outputs: `Id`, `Arn`, `NameServers`.
    public let name: String
    public let isList: Bool

    init(resource: CfnResource, attribute: String?, name: String, isList: Bool) {
        self.resource = resource
        self.attribute = attribute
        self.name = name
        self.isList = isList
    }

    public var displayName: String { "\(resource.owner.path).\(name)" }
}

/// Logical ids: readable, stable PascalCase of the construct path below the stack.
public enum LogicalIds {
    /// The logical id for `resource`, not counting an override.
    public static func derived(for resource: CfnResource) -> String {
        var components: [String] = []
        var node: Construct? = resource
        while let current = node, !(current is Stack) {
            if current.id != "Resource" { components.append(pascalCase(current.id)) }
            node = current.parent
        }
        let id = components.reversed().joined()
        return id.isEmpty ? "Resource" : id
    }

    public static func logicalId(for resource: CfnResource) -> String {
        resource.logicalIdOverride ?? derived(for: resource)
    }

    /// True when each byte of `text` is a Character of its own: ASCII without a carriage return
    /// (`"\r\n"` is one Character). Such a text can be walked byte by byte.
    static func hasOneCharacterPerByte(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// `get-games_route` -> `GetGamesRoute`, `apiV2` -> `ApiV2`.
    public static func pascalCase(_ text: String) -> String {
        // Most ids are ASCII: those go byte by byte (walking Characters and uppercasing each into a
        // String was a sixth of synthesizing 10,000 resources).
        if hasOneCharacterPerByte(text) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            var upperNext = true
            for byte in text.utf8 {
                switch byte {
                case 0x61...0x7A:  // a-z
                    bytes.append(upperNext ? byte - 0x20 : byte)
                    upperNext = false
                case 0x41...0x5A, 0x30...0x39:  // A-Z, 0-9
                    bytes.append(byte)
                    upperNext = false
                default:
                    upperNext = true
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var upperNext = true
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber {
                result.append(upperNext ? Character(character.uppercased()) : character)
                upperNext = false
            } else {
                upperNext = true
            }
        }
        return result
    }

    public static func isAlphanumeric(_ text: String) -> Bool {
        text.utf8.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
        }
    }

    public static func isValid(_ logicalId: String) -> Bool {
        !logicalId.isEmpty && logicalId.utf8.count <= 255 && isAlphanumeric(logicalId)
    }
}
