import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A Systems Manager Parameter Store parameter holding a string, or a reference to an existing
/// `SecureString` parameter.
///
/// `StringParameter(in:_:name:value:)` emits `AWS::SSM::Parameter` (type `String`, standard tier,
/// free). Not stateful: its value is in the template and comes back with it. CloudFormation cannot
/// create a `SecureString`, so `StringParameter.secureString(in:_:name:)` emits nothing: it names
/// an existing one (put there with `aws ssm put-parameter --type SecureString`) so that a function
/// can be granted to read it. `grantRead(to:)` gives `ssm:GetParameter`/`GetParameters` on that one
/// parameter (and `kms:Decrypt` on a SecureString's customer managed key, when it has one); pass the
/// function the parameter's `name`, never the value.
///
///     let level = StringParameter(in: stack, "LogLevel", name: "/dev/resume/log-level", value: "INFO")
///     level.grantRead(to: function)
public final class StringParameter: Construct {
    /// The parameter's name, a path such as `/dev/resume/log-level`.
    public let parameterName: String
    /// Whether this names an existing `SecureString` parameter rather than creating one.
    public let isSecure: Bool
    /// The customer managed key of a referenced SecureString, if it has one.
    public let keyArn: Value?
    /// The `AWS::SSM::Parameter` this construct creates, typed; nil for a SecureString reference.
    public private(set) var resource: SSM.Parameter?

    /// A new `String` parameter.
    ///
    /// - Parameters:
    ///   - name: A fully qualified path (`/<env>/<app>/<setting>`) or a plain name: letters, digits,
    ///     `_`, `.`, `-` and `/`, not starting with `aws` or `ssm`.
    ///   - value: The value; a reference (a table's name, a user pool's id) is resolved at deploy time.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, name: String, value: Value, description: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        parameterName = name
        isSecure = false
        keyArn = nil
        super.init(in: scope, id, file: file, line: line)
        resource = SSM.Parameter(
            in: self, "Resource", typeProperty: .string, value: .value(value), description: description.map { Typed($0) },
            name: Typed(name), file: file, line: line)
    }

    private init(in scope: Construct, _ id: String, secureName: String, keyArn: Value?, file: String, line: Int) {
        parameterName = secureName
        isSecure = true
        self.keyArn = keyArn
        super.init(in: scope, id, file: file, line: line)
    }

    /// An existing `SecureString` parameter, by name, for reading with `grantRead(to:)`.
    ///
    /// - Parameter keyArn: The customer managed KMS key it is encrypted with; the AWS managed key
    ///   `aws/ssm` by default (which needs no grant).
    @discardableResult
    public static func secureString(
        in scope: Construct, _ id: String, name: String, keyArn: Value? = nil, file: String = #fileID, line: Int = #line
    ) -> StringParameter {
        StringParameter(in: scope, id, secureName: name, keyArn: keyArn, file: file, line: line)
    }

    /// The parameter's name: a `!Ref` for a parameter this stack creates (so readers deploy after
    /// it), the literal name for a SecureString reference.
    public var name: Value {
        resource.map { $0.ref("Name") } ?? .string(parameterName)
    }

    /// `arn:<partition>:ssm:<region>:<account>:parameter/<name>`.
    public var arn: Value {
        let path = parameterName.hasPrefix("/") ? String(parameterName.dropFirst()) : parameterName
        return .sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/\(path)", Object())
    }

    /// Reading the value: `ssm:GetParameter` and `ssm:GetParameters` on this parameter only, plus
    /// `kms:Decrypt` (through SSM) on a SecureString's customer managed key.
    @discardableResult
    public func grantRead(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        if let keyArn {
            grantee.grantRole.addToPolicy(PolicyStatement(
                actions: ["kms:Decrypt"], resources: [keyArn],
                condition: ["StringEquals": ["kms:ViaService": .sub("ssm.${AWS::Region}.amazonaws.com", Object())]]))
        }
        return Grants.add(
            PolicyStatement(actions: ["ssm:GetParameter", "ssm:GetParameters"], resources: [arn]), on: self, to: grantee,
            verb: "grantRead", file: file, line: line)
    }

    public override func validate() -> [Diagnostic] {
        if let problem = Self.nameProblem(parameterName) {
            return [.invalidParameterName(self, parameterName, problem)]
        }
        return []
    }

    /// Why `name` is not a valid Parameter Store name, if it is not.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.count > 1011 { return "it is \(name.count) characters long; the limit is 1011" }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "_.-/".contains($0))) }) {
            return "'\(bad)' is not allowed (letters, digits, '_', '.', '-' and '/' are)"
        }
        if name.contains("/") && !name.hasPrefix("/") { return "a path must start with '/'" }
        if name.contains("//") { return "it has an empty level ('//')" }
        if name.count > 1 && name.hasSuffix("/") { return "it ends with '/'" }
        let first = (name.split(separator: "/").first ?? "").lowercased()
        if first.hasPrefix("aws") || first.hasPrefix("ssm") { return "names starting with 'aws' or 'ssm' are reserved" }
        if name.split(separator: "/").count > 15 { return "it has more than 15 levels" }
        return nil
    }
}

extension Diagnostic {
    static func invalidParameterName(_ parameter: StringParameter, _ name: String, _ problem: String) -> Diagnostic {
        .construct(
            parameter, "parameter name '\(name)' is not a valid SSM path: \(problem)",
            hint: "write a path of letters, digits, '_', '.' and '-' levels, e.g. /dev/resume/log-level")
    }
}
