import CloudFormation
import Synthesis

/// What every account needs before Stratus can deploy to it: the asset bucket the plan uploads
/// Lambda code to, a deploy role, and the role CloudFormation runs as.
///
/// Create it in a template-only stack and roll it out with `rollOut(...)`, a StackSet over the
/// environments' organisational units. Emits:
/// - `AWS::S3::Bucket` `stratus-assets-<account>-<region>` (the name the plan's upload steps
///   use), private, encrypted, TLS only, versioned, retained;
/// - `AWS::IAM::Role` `stratus-deploy-<region>`: assumable by the account itself and by the
///   accounts in the `TrustedAccounts` parameter (empty by default: nobody else); may run
///   CloudFormation, pass the execution role and write assets;
/// - `AWS::IAM::Role` `stratus-cfn-exec-<region>`: assumed by CloudFormation only, with
///   PowerUserAccess and the IAM actions stacks need for their roles, on this account's roles and
///   OIDC providers only (not AdministratorAccess).
public final class Bootstrap: Construct {
    public static func deployRoleName(region: String) -> String { "stratus-deploy-\(region)" }
    public static func executionRoleName(region: String) -> String { "stratus-cfn-exec-\(region)" }

    public private(set) var assets: Bucket!
    public private(set) var deployRole: Role!
    public private(set) var executionRole: Role!
    public let trustedAccountsParameter = "TrustedAccounts"

    @discardableResult
    public init(in stack: Stack, _ id: String, file: String = #fileID, line: Int = #line) {
        super.init(in: stack, id, file: file, line: line)
        let trusted = stack.addParameter(trustedAccountsParameter, Parameter(
            type: .commaDelimitedList,
            description: "Account ids, besides this one, whose administrators may assume the deploy role (the CI/CD account); empty trusts nobody else.",
            defaultValue: ""))
        let trustsOthers = stack.addCondition("TrustsOtherAccounts", .not(.equals(.join(",", trusted), "")))

        assets = Bucket(in: self, "Assets", versioned: true, bucketName: AssetBucket.name, file: file, line: line)
        assets.resource.justify("CKV_AWS_18", because: "No access logs: the bucket holds only code archives, which only the deploy role writes and only CloudFormation and Lambda read, and each archive is named by the SHA-256 of its content.")

        executionRole = Role(
            in: self, "ExecutionRole", assumedBy: "cloudformation.amazonaws.com",
            managedPolicyArns: [Role.awsManagedPolicy("PowerUserAccess")],
            roleName: .sub("stratus-cfn-exec-${AWS::Region}", Object()),
            description: "CloudFormation runs Stratus stacks as this role", file: file, line: line)
        // Only roles and OIDC providers of this account: never users, groups or other accounts.
        executionRole.addToPolicy(PolicyStatement(actions: BootstrapPermissions.manageRoles, resources: [
            .sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*", Object()),
            .sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/*", Object()),
        ]))

        let principals: Value = .if(
            trustsOthers, .split(",", .join(",", [.accountId, .join(",", trusted)])), .accountId)
        deployRole = Role(
            in: self, "DeployRole", trust: .accounts(principals), roleName: .sub("stratus-deploy-${AWS::Region}", Object()),
            description: "Deploys Stratus plans: CloudFormation, assets, and nothing else", file: file, line: line)
        deployRole.addToPolicy(PolicyStatement(
            actions: BootstrapPermissions.deployStacks,
            resources: [.sub("arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*", Object())]))
        deployRole.addToPolicy(PolicyStatement(actions: ["cloudformation:DescribeStacks", "cloudformation:ValidateTemplate"], resources: ["*"]))
        deployRole.addToPolicy(PolicyStatement(actions: ["iam:PassRole"], resources: [executionRole.arn]))
        deployRole.addToPolicy(PolicyStatement(actions: ["s3:GetObject", "s3:PutObject"], resources: [assets.objectsArn]))
        deployRole.addToPolicy(PolicyStatement(actions: ["s3:ListBucket", "s3:GetBucketLocation"], resources: [assets.arn]))
    }

    /// Rolls this bootstrap out to the organisational units of `environments` with a StackSet
    /// in `stack` (a stack of the management account), overriding `TrustedAccounts` per
    /// environment.
    ///
    /// - Parameters:
    ///   - trust: Environment name -> account ids its deploy role trusts. Every id must be an
    ///     account of `Environments/`; environments not named trust nobody but themselves.
    ///   - additionalRegions: Regions to bootstrap besides the environments' own, for stacks
    ///     that must live elsewhere (CloudFront certificates in us-east-1). None by default; a
    ///     stack in a region the StackSet does not reach is an error.
    @discardableResult
    public func rollOut(
        in stack: Stack, _ id: String, environments: [Environment], trust: [String: [String]], additionalRegions: [String] = [],
        file: String = #fileID, line: Int = #line
    ) -> StackSet? {
        guard let template = self.stack else { return nil }
        let known = Dictionary(
            (app.organisation.accounts + environments.map(\.account)).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let regions = (environments.map(\.region) + additionalRegions).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var overrides: [String: [String: String]] = [:]
        var trustedByAccount: [(account: String, names: [String])] = []
        for (name, accounts) in trust.sorted(by: { $0.key < $1.key }) {
            guard let environment = environments.first(where: { $0.name == name }) else {
                report(Diagnostic(
                    "\(path): trust names environment '\(name)', which has no file in Environments/", at: SourceLocation(file: file, line: line),
                    hint: "known environments: \(environments.map(\.name).joined(separator: ", "))"))
                continue
            }
            for account in accounts where known[account] == nil {
                report(Diagnostic(
                    "\(path): trusted account '\(account)' for \(name) is not an account of the organisation",
                    at: SourceLocation(file: file, line: line),
                    hint: "trust only accounts listed in Environments/organisation.yaml or an environment file, e.g. cicd (\(app.organisation.cicd.id))"))
            }
            let value = accounts.joined(separator: ",")
            if let existing = overrides[environment.account.id]?[trustedAccountsParameter], existing != value {
                report(Diagnostic(
                    "\(path): environments sharing account \(environment.account.id) ask for different trust (\(existing) and \(value))",
                    at: SourceLocation(file: file, line: line), hint: "one account has one bootstrap: give every environment of the account the same trusted accounts"))
            }
            if overrides[environment.account.id] == nil {
                trustedByAccount.append((environment.account.id, accounts.map { known[$0].map { "account \(app.accountName($0.id) ?? $0.name) (\($0.id))" } ?? $0 }))
            }
            overrides[environment.account.id] = [trustedAccountsParameter: value]
        }
        // The StackSet creates the deploy role in every region of every target account: one fact
        // per account and region, about the account (named by all its environments), not about
        // whichever environment is being synthesized.
        for (account, names) in trustedByAccount.sorted(by: { $0.account < $1.account }) {
            for region in regions {
                app.record(.trust(TrustFact(
                    role: "\(relativePath)/DeployRole", roleName: Self.deployRoleName(region: region),
                    account: "\(app.accountName(account) ?? account) (\(account))", trusted: names, stack: "StackSet \(template.stackName)",
                    region: region, organisationWide: true)))
            }
        }
        let units = environments.compactMap(\.organisationalUnit).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return StackSet(
            in: stack, id, template: template, organisationalUnits: units, regions: regions, overrides: overrides,
            failureTolerance: 0, maxConcurrent: 1, providesBootstrap: true, file: file, line: line)
    }
}

/// IAM actions of the bootstrap roles.
enum BootstrapPermissions {
    static let deployStacks = [
        "cloudformation:CreateChangeSet", "cloudformation:CreateStack", "cloudformation:DeleteChangeSet",
        "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents", "cloudformation:ExecuteChangeSet",
        "cloudformation:DescribeStackResource", "cloudformation:GetTemplate", "cloudformation:UpdateStack",
    ]
    /// What stacks need beyond PowerUserAccess: their roles and OIDC providers.
    static let manageRoles = [
        "iam:AttachRolePolicy", "iam:CreateOpenIDConnectProvider", "iam:CreateRole", "iam:DeleteOpenIDConnectProvider",
        "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:GetRole", "iam:GetRolePolicy",
        "iam:PassRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:UpdateAssumeRolePolicy",
        "iam:UpdateOpenIDConnectProviderThumbprint",
    ]
}
