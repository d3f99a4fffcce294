/// An AWS account as Stratus knows it: a short name used in stack names and messages, the
/// 12-digit id, and the region its stacks go to unless a stack says otherwise.
public struct Account: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let id: String
    public let region: String
    /// The AWS CLI profile `synth deploy` uses for this account: the account's name unless the
    /// environment file says otherwise.
    public let profile: String

    public init(name: String, id: String, region: String, profile: String? = nil) {
        self.name = name
        self.id = id
        self.region = region
        self.profile = profile ?? name
    }

    public var description: String { "\(name) (\(id))" }
}

/// One deployment environment (tst, dev, prd), decoded from `Environments/<name>.yaml`.
public struct Environment: Hashable, Sendable {
    /// The environment's name; equal to its file name without `.yaml`.
    public let name: String
    /// The account the environment's own stacks deploy to; its name is the environment's name.
    public let account: Account
    /// The environment's DNS domain, delegated from one of the organisation's apex zones:
    /// `dev.brainfartlab.com`.
    public let domain: String
    /// More zones the environment owns, each delegated from the apex zone it lies under
    /// (`zones:` in the file): `api-dev.patrickcmd.dev`. None by default.
    public let zones: [String]
    /// The environment file, relative to the repository root (for messages).
    public let file: String
    /// The AWS Organizations unit the environment's account belongs to (`ou-ab12-cdefgh34`), if any.
    public let organisationalUnit: String?
    /// The repository and branch a delivery pipeline deploys this environment from, if any.
    public let pipeline: PipelineSettings?
    /// Whether `synth deploy --hotswap` may update function code directly, bypassing
    /// CloudFormation (`hotswap: false` in the file forbids it, as prd does). Allowed by default.
    public let hotswap: Bool
    /// What kind of environment this is (`tier: production` in the file). Constructs turn on the
    /// security settings that cost money (WAF, customer managed KMS keys, multi-AZ databases,
    /// enhanced monitoring) in production, and say in the template why they are off elsewhere.
    /// Development by default.
    public let tier: Tier

    public var region: String { account.region }

    /// True when the environment's file says `tier: production`.
    public var isProduction: Bool { tier == .production }

    public init(
        name: String, account: Account, domain: String, zones: [String] = [], file: String, organisationalUnit: String? = nil,
        pipeline: PipelineSettings? = nil, hotswap: Bool = true, tier: Tier = .development
    ) {
        self.zones = zones
        self.tier = tier
        self.hotswap = hotswap
        self.name = name
        self.account = account
        self.domain = domain
        self.file = file
        self.organisationalUnit = organisationalUnit
        self.pipeline = pipeline
    }
}

/// The kind of an environment, which decides the defaults of security settings that cost money.
public enum Tier: String, Hashable, Sendable, CaseIterable, Codable {
    /// Serves real users: every secure option is on, whatever it costs.
    case production
    /// Development, test and staging: options that cost money are off, and each resource says so
    /// in its template.
    case development
}

/// Where an environment's delivery pipeline takes its source from.
public struct PipelineSettings: Hashable, Sendable, Codable {
    /// `OWNER/NAME` on GitHub.
    public let repository: String
    public let branch: String

    public init(repository: String, branch: String) {
        self.repository = repository
        self.branch = branch
    }
}

/// The accounts every environment shares, decoded from `Environments/organisation.yaml`.
public struct Organisation: Hashable, Sendable {
    /// The apex domains, each a hosted zone owned by the network account, in the file's order:
    /// `brainfartlab.com`, `patrickcmd.dev`. Never empty.
    public let apexDomains: [String]
    /// The first apex domain: `brainfartlab.com`.
    public var domain: String { apexDomains[0] }
    /// The organisation's management account (StackSets, organisational units).
    public let management: Account
    /// The account that owns the apex hosted zone.
    public let network: Account
    /// The account that runs delivery pipelines.
    public let cicd: Account
    /// The CodeStar (CodeConnections) connection pipelines read GitHub through, if any.
    public let sourceConnection: String?
    public let file: String

    /// An organisation with one apex domain.
    public init(domain: String, management: Account, network: Account, cicd: Account, sourceConnection: String? = nil, file: String) {
        self.init(apexDomains: [domain], management: management, network: network, cicd: cicd, sourceConnection: sourceConnection, file: file)
    }

    /// An organisation with several apex domains; `apexDomains` must not be empty.
    public init(apexDomains: [String], management: Account, network: Account, cicd: Account, sourceConnection: String? = nil, file: String) {
        precondition(!apexDomains.isEmpty, "an organisation has at least one apex domain")
        self.apexDomains = apexDomains
        self.management = management
        self.network = network
        self.cicd = cicd
        self.sourceConnection = sourceConnection
        self.file = file
    }

    /// The apex domain `name` lies in (or is), if any: the longest declared apex that contains it.
    public func apex(of name: String) -> String? {
        apexDomains.filter { DomainName.isWithin(name, zone: $0) }.max { $0.count < $1.count }
    }

    /// The shared accounts in a fixed order.
    public var accounts: [Account] { [management, network, cicd] }
}
