import CloudFormation
import Foundation

/// The root of the construct tree for one environment. `Stacks/` receives an `App` and adds
/// stacks to it; synthesis turns the tree into templates and a deploy plan.
///
///     let app = App(environment: dev, organisation: org)
///     let dns = Stack(in: app, "Dns")
///     HostedZone(in: dns, "Zone", name: app.environment.domain)
public final class App: Construct {
    public let environment: Environment
    public let organisation: Organisation
    /// Every environment of the organisation (for organisation-wide stacks such as the bootstrap
    /// StackSet); just `environment` unless the caller gives them all.
    public let environments: [Environment]
    /// Problems found while the tree was built (duplicate ids, invalid arguments).
    public internal(set) var diagnostics: [Diagnostic] = []
    /// Facts the platform team reviews: DNS delegations, cross-account trust.
    public private(set) var reviewFacts: [ReviewFact] = []
    /// The repository root: code folders of assets are relative to it.
    public let rootDirectory: URL
    private var assetsByFolder: [String: Asset] = [:]

    /// - Parameter rootDirectory: The repository root; the current folder by default.
    public init(
        environment: Environment, organisation: Organisation, environments: [Environment]? = nil, rootDirectory: URL? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.environment = environment
        self.organisation = organisation
        self.environments = environments ?? [environment]
        self.rootDirectory = rootDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        super.init(root: environment.name, file: file, line: line)
    }

    /// Packages `folder` (relative to the repository root) once, and records that the stack of
    /// `construct` uses it. Reports a missing or empty folder against `construct`.
    public func asset(folder: String, for construct: Construct) -> Asset? {
        let asset: Asset
        if let known = assetsByFolder[folder] {
            asset = known
        } else {
            switch Asset.package(folder, root: rootDirectory) {
            case .success(let packaged):
                asset = packaged
                assetsByFolder[folder] = packaged
            case .failure(let problem):
                construct.report(.assetProblem(problem, folder: folder, construct: construct))
                return nil
            }
        }
        construct.stack?.usedAssets.insert(asset)
        return asset
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
    case stackSet(StackSetFact)
    case trust(TrustFact)
    case pipeline(PipelineFact)
}

/// A delivery pipeline: which branch of which repository deploys which environment, from where.
public struct PipelineFact: Hashable, Sendable, Codable {
    public let pipeline: String
    public let stack: String
    public let account: String
    public let repository: String
    public let branch: String
    public let environment: String
    public let targetAccount: String
    /// The roles in the target account the pipeline deploys with, one per region its steps use.
    public let deployRoles: [String]

    public init(pipeline: String, stack: String, account: String, repository: String, branch: String, environment: String, targetAccount: String, deployRoles: [String]) {
        self.pipeline = pipeline
        self.stack = stack
        self.account = account
        self.repository = repository
        self.branch = branch
        self.environment = environment
        self.targetAccount = targetAccount
        self.deployRoles = deployRoles
    }
}

/// A StackSet, where it rolls its template out to and which accounts get other parameters.
public struct StackSetFact: Hashable, Sendable, Codable {
    public let name: String
    /// The stack that holds the StackSet resource, and its account.
    public let stack: String
    public let account: String
    public let template: String
    public let organisationalUnits: [String]
    public let regions: [String]
    /// Account id -> parameter -> value.
    public let overrides: [String: [String: String]]
    public let construct: String
    /// Ids of the environments' accounts in the targeted organisational units, sorted.
    public let targetAccounts: [String]
    /// Account id -> the name people know it by (an environment's name, several when environments
    /// share the account, or management, network, cicd), for every account the fact names.
    public let accountNames: [String: String]
    /// True for the StackSet that bootstraps accounts (asset bucket, deploy roles): the plan
    /// deploys it before every step in its target accounts and regions, and waits for its instances.
    public let providesBootstrap: Bool

    public init(
        name: String, stack: String, account: String, template: String, organisationalUnits: [String], regions: [String],
        overrides: [String: [String: String]], construct: String, targetAccounts: [String] = [], accountNames: [String: String] = [:],
        providesBootstrap: Bool = false
    ) {
        self.targetAccounts = targetAccounts
        self.accountNames = accountNames
        self.providesBootstrap = providesBootstrap
        self.name = name
        self.stack = stack
        self.account = account
        self.template = template
        self.organisationalUnits = organisationalUnits
        self.regions = regions
        self.overrides = overrides
        self.construct = construct
    }
}

/// A role that principals outside its own account (other accounts, an OIDC identity) may assume.
public struct TrustFact: Hashable, Sendable, Codable {
    /// The role's construct path below the app and its name, when fixed.
    public let role: String
    public let roleName: String?
    /// Where the role lives: an account, or "every account the StackSet X targets".
    public let account: String
    /// Who may assume it, in words: `account cicd (100000000003)`, `GitHub repo:o/r:ref:refs/heads/main`.
    public let trusted: [String]
    public let stack: String
    /// The role's region, for roles that exist once per region (the bootstrap's); nil when the
    /// role is the stack's own.
    public let region: String?
    /// True for a fact about the whole organisation (made by a shared stack or a StackSet), which
    /// every environment's plan repeats.
    public let organisationWide: Bool

    public init(role: String, roleName: String?, account: String, trusted: [String], stack: String, region: String? = nil, organisationWide: Bool = false) {
        self.region = region
        self.organisationWide = organisationWide
        self.role = role
        self.roleName = roleName
        self.account = account
        self.trusted = trusted
        self.stack = stack
    }
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

extension App {
    /// The name people know account `id` by: the shared account's name (management, network,
    /// cicd) or the names of the environments that deploy into it, sorted and joined with ", "
    /// (`hdoc-dev, hdoc-prod, hdoc-staging` when several share it); nil for an unknown account.
    public func accountName(_ id: String) -> String? {
        if let shared = organisation.accounts.first(where: { $0.id == id }) { return shared.name }
        let names = environments.filter { $0.account.id == id }.map(\.name).sorted()
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }

    /// `accountName(id)` for every account of the organisation and its environments.
    public var accountNames: [String: String] {
        let ids = organisation.accounts.map(\.id) + environments.map(\.account.id)
        return Dictionary(ids.map { ($0, accountName($0) ?? $0) }, uniquingKeysWith: { first, _ in first })
    }
}
