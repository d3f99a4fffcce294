import CloudFormation

/// One CloudFormation stack: a template deployed to one account and region.
///
/// A stack belongs to the environment being synthesized unless it is `shared`: a shared stack
/// (the apex hosted zone in the network account, say) is the same in every environment, is
/// named `shared-<id>` instead of `<env>-<id>`, and may not use values from environment stacks.
///
///     let dns = Stack(in: app, "Dns")                                    // dev-Dns in the dev account
///     let apex = Stack(in: app, "Apex", account: app.organisation.network, shared: true)
public final class Stack: Construct {
    /// The account the stack deploys to; the environment's account unless given.
    public let account: Account
    /// The region the stack deploys to; the account's region unless given.
    public let region: String
    /// True for a stack that is identical in every environment.
    public let isShared: Bool
    /// The CloudFormation stack name: `<env>-<id>`, or `shared-<id>` for a shared stack.
    public let stackName: String
    /// True for a template that is not deployed as a stack of its own but embedded elsewhere
    /// (the template a StackSet rolls out). It is written to `out/` for review, but the plan has
    /// no step for it, and no values flow into or out of it through the plan.
    public let isTemplateOnly: Bool
    /// The template's Description.
    public var templateDescription: String?
    /// Code assets the stack's resources refer to; uploaded before the stack deploys.
    public internal(set) var usedAssets: Set<Asset> = []
    /// Parameters a person sets at deploy time (the plan passes none, so their defaults apply).
    public private(set) var parameters: [(name: String, parameter: Parameter)] = []
    public private(set) var conditions: [(name: String, condition: Value)] = []

    /// Declares a template parameter and returns a reference to it. Give it a default: the plan
    /// deploys with defaults unless a person overrides them.
    public func addParameter(_ name: String, _ parameter: Parameter) -> Value {
        if parameters.contains(where: { $0.name == name }) {
            report(.construct(self, "parameter '\(name)' is declared twice", hint: "declare it once and share the returned value"))
        } else {
            parameters.append((name, parameter))
        }
        return .ref(name)
    }

    /// Declares a template condition and returns its name, for `Value.if` and `CfnResource.condition`.
    @discardableResult
    public func addCondition(_ name: String, _ condition: Value) -> String {
        if conditions.contains(where: { $0.name == name }) {
            report(.construct(self, "condition '\(name)' is declared twice", hint: "declare it once"))
        } else {
            conditions.append((name, condition))
        }
        return name
    }

    public init(
        in app: App, _ id: String, account: Account? = nil, region: String? = nil, shared: Bool = false,
        templateOnly: Bool = false, description: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.isTemplateOnly = templateOnly
        let account = account ?? app.environment.account
        self.account = account
        self.region = region ?? account.region
        self.isShared = shared
        self.stackName = "\(shared ? "shared" : app.environment.name)-\(id)"
        self.templateDescription = description
        super.init(in: app, id, file: file, line: line)
    }

    /// The rendered template of this stack, as a string value, for embedding (a StackSet's
    /// `TemplateBody`). Only a template-only stack can be embedded.
    public var templateBody: Value { .token(TemplateBody(stack: self)) }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !LogicalIds.isAlphanumeric(id) || !(id.first?.isLetter ?? false) {
            problems.append(.construct(self, "stack id '\(id)' must start with a letter and contain only letters and digits", hint: "stack ids become stack names and parameter names, e.g. 'Dns'"))
        }
        if stackName.utf8.count > 128 {
            problems.append(.construct(self, "stack name '\(stackName)' is longer than 128 characters", hint: "shorten the stack id"))
        }
        if !Regions.isKnown(region) {
            problems.append(.construct(self, "unknown region '\(region)'", hint: "use one of: \(Regions.all.joined(separator: ", "))"))
        }
        return problems
    }
}

/// A late-bound reference to the rendered template of a template-only stack.
public final class TemplateBody: Token {
    public let stack: Stack
    init(stack: Stack) { self.stack = stack }
    public var isList: Bool { false }
    public var displayName: String { "\(stack.path).TemplateBody" }
}
