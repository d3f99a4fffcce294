import CloudFormation

/// The root of the construct tree for one environment. `Stacks/` receives an `App` and adds
/// stacks to it; synthesis turns the tree into templates and a deploy plan.
///
///     let app = App(environment: dev, organisation: org)
///     let dns = Stack(in: app, "Dns")
///     HostedZone(in: dns, "Zone", name: app.environment.domain)
public final class App: Construct {
    public let environment: Environment
    public let organisation: Organisation
    /// Problems found while the tree was built (duplicate ids, invalid arguments).
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Facts the platform team reviews: DNS delegations, cross-account trust.
    public private(set) var reviewFacts: [ReviewFact] = []

    public init(environment: Environment, organisation: Organisation, file: String = #fileID, line: Int = #line) {
        self.environment = environment
        self.organisation = organisation
        super.init(root: environment.name, file: file, line: line)
    }

    /// Records a fact for the review section of the plan.
    public func record(_ fact: ReviewFact) {
        reviewFacts.append(fact)
    }

    /// All stacks of the app, in creation order.
    public var stacks: [Stack] {
        var stacks: [Stack] = []
        walk { if let stack = $0 as? Stack { stacks.append(stack) } }
        return stacks
    }
}

/// Something that crosses an account boundary and that the platform team reviews.
public enum ReviewFact: Hashable, Sendable {
    case delegation(Delegation)
}

/// A parent zone in one account delegating a child zone in another through an NS record.
public struct Delegation: Hashable, Sendable, Codable {
    public let parentZone: String
    public let parentAccount: String
    public let parentAccountId: String
    public let childZone: String
    public let childAccount: String
    public let childAccountId: String
    /// The stack that holds the NS record (it lives in the parent zone's account).
    public let recordStack: String
    /// The stack that holds the child zone.
    public let childStack: String
    public let construct: String

    public init(
        parentZone: String, parentAccount: Account, childZone: String, childAccount: Account,
        recordStack: String, childStack: String, construct: String
    ) {
        self.parentZone = parentZone
        self.parentAccount = parentAccount.name
        self.parentAccountId = parentAccount.id
        self.childZone = childZone
        self.childAccount = childAccount.name
        self.childAccountId = childAccount.id
        self.recordStack = recordStack
        self.childStack = childStack
        self.construct = construct
    }
}
