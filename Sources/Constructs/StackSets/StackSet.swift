import CloudFormation
import Synthesis

/// A CloudFormation StackSet with service-managed permissions, rolling a Stratus template out to
/// every account of some organisational units, new accounts included.
///
/// Emits `AWS::CloudFormation::StackSet` (create it in a stack of the management account). The
/// template is a template-only `Stack` of the app, synthesized and embedded as `TemplateBody`,
/// and also written to `out/` for review. Per-account parameter overrides are stack instance
/// groups that intersect an OU with one account; the other accounts of the OUs get the template's
/// defaults. Automatic deployment is on and stacks are removed with accounts that leave.
///
///     StackSet(in: management, "Bootstrap", template: bootstrapTemplate,
///              organisationalUnits: ["ou-ab12-cdefgh34"], regions: ["eu-west-1"],
///              overrides: ["222222222222": ["TrustedAccounts": "333333333333"]])
public final class StackSet: Construct {
    public let template: Stack
    public let organisationalUnits: [String]
    public let regions: [String]
    public let overrides: [String: [String: String]]
    public let failureTolerance: Int
    public let maxConcurrent: Int
    public let providesBootstrap: Bool
    /// Which OU each overridden account is in (from the environment files).
    private let unitOfAccount: [String: String]
    public private(set) var resource: CfnResource!

    /// - Parameters:
    ///   - template: A stack created with `templateOnly: true`.
    ///   - organisationalUnits: OU ids (`ou-...`) whose accounts get a stack instance.
    ///   - regions: Regions of each account that get one.
    ///   - overrides: Account id -> parameter -> value, for accounts that need other values than
    ///     the template's defaults. Each account must belong to one of the OUs (as the environment
    ///     files say).
    ///   - failureTolerance: Accounts per region that may fail before the operation stops: 0.
    ///   - maxConcurrent: Accounts deployed at once: 1.
    ///   - providesBootstrap: True for the StackSet of the account bootstrap (`Bootstrap.rollOut`
    ///     sets it): the plan then deploys it before every step in its target accounts and regions
    ///     and waits for its stack instances, and a stack of a target account in a region it does
    ///     not reach is an error. False by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, template: Stack, organisationalUnits: [String], regions: [String],
        overrides: [String: [String: String]] = [:], failureTolerance: Int = 0, maxConcurrent: Int = 1,
        providesBootstrap: Bool = false, file: String = #fileID, line: Int = #line
    ) {
        self.providesBootstrap = providesBootstrap
        self.template = template
        self.organisationalUnits = organisationalUnits
        self.regions = regions
        self.overrides = overrides
        self.failureTolerance = failureTolerance
        self.maxConcurrent = maxConcurrent
        var unitOfAccount: [String: String] = [:]
        for environment in scope.app.environments {
            if let unit = environment.organisationalUnit { unitOfAccount[environment.account.id] = unit }
        }
        self.unitOfAccount = unitOfAccount
        super.init(in: scope, id, file: file, line: line)

        let regionList = Value.list(regions.map(Value.string))
        let overridden = overrides.keys.sorted()
        var groups: [Value] = []
        var everyone: Object = ["OrganizationalUnitIds": .list(organisationalUnits.map(Value.string))]
        if !overridden.isEmpty {
            everyone["Accounts"] = .list(overridden.map(Value.string))
            everyone["AccountFilterType"] = "DIFFERENCE"
        }
        groups.append(["DeploymentTargets": .object(everyone), "Regions": regionList])
        for account in overridden {
            let unit = unitOfAccount[account] ?? organisationalUnits.first ?? ""
            let parameters = (overrides[account] ?? [:]).sorted { $0.key < $1.key }
            groups.append([
                "DeploymentTargets": [
                    "OrganizationalUnitIds": [.string(unit)], "Accounts": [.string(account)], "AccountFilterType": "INTERSECTION",
                ],
                "Regions": regionList,
                "ParameterOverrides": .list(parameters.map { ["ParameterKey": .string($0.key), "ParameterValue": .string($0.value)] }),
            ])
        }
        resource = CfnResource(
            in: self, type: "AWS::CloudFormation::StackSet",
            properties: [
                "StackSetName": .string(template.stackName),
                "Description": .string("Stratus \(template.id), rolled out to \(organisationalUnits.joined(separator: ", "))"),
                "PermissionModel": "SERVICE_MANAGED",
                "AutoDeployment": ["Enabled": true, "RetainStacksOnAccountRemoval": false],
                "ManagedExecution": ["Active": true],
                "Capabilities": ["CAPABILITY_NAMED_IAM"],
                "OperationPreferences": [
                    "FailureToleranceCount": .int(failureTolerance), "MaxConcurrentCount": .int(maxConcurrent),
                    "RegionConcurrencyType": "PARALLEL",
                ],
                "StackInstancesGroup": .list(groups),
                "TemplateBody": template.templateBody,
            ], file: file, line: line)
        if let stack {
            app.record(.stackSet(StackSetFact(
                name: template.stackName, stack: stack.stackName, account: "\(stack.account)", template: template.stackName + ".template.yaml",
                organisationalUnits: organisationalUnits, regions: regions, overrides: overrides, construct: relativePath,
                targetAccounts: targetAccounts, accountNames: app.accountNames, providesBootstrap: providesBootstrap)))
        }
    }

    /// The environments' accounts in the targeted organisational units, sorted.
    public var targetAccounts: [String] {
        Set(unitOfAccount.filter { organisationalUnits.contains($0.value) }.keys).sorted()
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if providesBootstrap {
            let targets = Set(targetAccounts)
            for stack in app.stacks where !stack.isTemplateOnly && targets.contains(stack.account.id) && !regions.contains(stack.region) {
                problems.append(.construct(
                    stack, "stack \(stack.stackName) deploys to \(stack.region) of account \(stack.account), where the bootstrap StackSet \(template.stackName) creates no asset bucket or deploy roles",
                    hint: "add \(stack.region) to the bootstrap's regions (additionalRegions: in Stacks/OrganisationBootstrap.swift)"))
            }
        }
        if !template.isTemplateOnly {
            problems.append(.construct(self, "template \(template.path) is a deployed stack", hint: "create the StackSet's template with Stack(..., templateOnly: true)"))
        }
        if organisationalUnits.isEmpty {
            problems.append(.construct(self, "StackSet targets no organisational unit", hint: "set organisationalUnit: in the environment files and pass those OU ids"))
        }
        for unit in organisationalUnits where !OrganisationIds.isOrganisationalUnit(unit) && !OrganisationIds.isRoot(unit) {
            problems.append(.construct(self, "organisational unit '\(unit)' is not an OU id", hint: "OU ids look like ou-ab12-cdefgh34"))
        }
        for region in regions where !Regions.isKnown(region) {
            problems.append(.construct(self, "unknown region '\(region)'", hint: "e.g. eu-west-1"))
        }
        let declared = Set(template.parameters.map(\.name))
        for (account, parameters) in overrides.sorted(by: { $0.key < $1.key }) {
            if !OrganisationIds.isAccountId(account) {
                problems.append(.construct(self, "override account '\(account)' is not a 12-digit account id", hint: "use the account id from the environment file"))
                continue
            }
            guard let unit = unitOfAccount[account], organisationalUnits.contains(unit) else {
                problems.append(.construct(
                    self, "override for account \(account), which the StackSet does not target",
                    hint: "target the account's OU (\(unitOfAccount[account] ?? "none in Environments/")) or drop the override"))
                continue
            }
            for name in parameters.keys.sorted() where !declared.contains(name) {
                problems.append(.construct(self, "override sets '\(name)', which template \(template.path) does not declare", hint: "declared parameters: \(declared.sorted().joined(separator: ", "))"))
            }
        }
        if failureTolerance < 0 || maxConcurrent < 1 {
            problems.append(.construct(self, "failure tolerance must be 0 or more and max concurrency 1 or more", hint: "0 and 1 are the defaults"))
        }
        return problems
    }
}
