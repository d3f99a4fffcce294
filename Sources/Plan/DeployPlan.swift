import CloudFormation
import Foundation
import Synthesis

/// The ordered steps that deploy one environment, written as `plan.json` (for machines) and
/// `plan.md` (for people). Steps form a DAG; their order in `steps` is a valid deploy order.
public struct DeployPlan: Codable, Equatable, Sendable {
    /// The largest template CloudFormation takes inline (`--template-body`).
    public static let inlineTemplateLimit = 51_200
    /// The largest template CloudFormation takes from S3 (`--template-url`).
    public static let s3TemplateLimit = 1_048_576

    public struct AccountRef: Codable, Equatable, Hashable, Sendable {
        public let name: String
        public let id: String

        public init(name: String, id: String) {
            self.name = name
            self.id = id
        }
    }

    /// A stack parameter filled from an Output of an earlier step.
    public struct ParameterSource: Codable, Equatable, Sendable {
        public let parameter: String
        public let fromStep: String
        public let output: String
        /// True when the value crosses an account boundary.
        public let crossAccount: Bool
        /// True when the value crosses a region boundary.
        public let crossRegion: Bool
    }

    /// One code archive to upload before the stacks that use it.
    public struct AssetUpload: Codable, Equatable, Sendable {
        /// The archive, relative to the plan's folder: `assets/<sha256>.zip`.
        public let file: String
        public let bucket: String
        public let key: String
        /// The folder it was packaged from.
        public let source: String
    }

    /// The stack instances a StackSet step must bring to `CURRENT` before the steps that need
    /// them start: every account here in every region here.
    public struct StackSetInstances: Codable, Equatable, Sendable {
        public let stackSet: String
        public let accounts: [String]
        public let regions: [String]
    }

    public struct Step: Codable, Equatable, Sendable {
        public enum Action: String, Codable, Sendable {
            case uploadAssets = "upload-assets"
            case deployStack = "deploy-stack"
        }

        /// Unique within the plan; the stack name for a stack step.
        public let id: String
        public let action: Action
        public let account: AccountRef
        public let region: String
        public var dependsOn: [String]
        // deploy-stack
        public let stackName: String?
        /// The template, relative to the plan's folder.
        public let template: String?
        /// True for a stack that every environment's plan deploys identically.
        public let shared: Bool?
        public let parameters: [ParameterSource]?
        public let outputs: [String]?
        /// Where each output comes from, so `synth deploy` can read the resource when an endpoint
        /// does not return the output.
        public let outputSources: [OutputSource]?
        /// `CAPABILITY_IAM` / `CAPABILITY_NAMED_IAM` when the template creates IAM resources.
        public let capabilities: [String]?
        // upload-assets
        public let uploads: [AssetUpload]?
        /// For the bootstrap StackSet's step: the instances to wait for.
        public var stackSetInstances: StackSetInstances? = nil
        /// The bootstrap's asset bucket in the step's account and region, when there is one:
        /// templates over 51,200 bytes are deployed through it.
        public var assetBucket: String? = nil
        /// 1 for steps without dependencies, otherwise one more than the latest of its dependencies:
        /// the steps of one wave can run at the same time.
        public var wave: Int = 1
    }

    public let environment: String
    public private(set) var steps: [Step]
    public let delegations: [Delegation]
    public let stackSets: [StackSetFact]
    public let trusts: [TrustFact]
    public let pipelines: [PipelineFact]
    /// Parameters set by a person at deploy time that feed a create-only property (absent when none).
    public let replacingParameters: [ReplacingParameter]?
    /// What the constructs decided about security scanner checks (justified failures, and options
    /// that cost money turned on for production), per resource, in plan order of the stacks.
    public let securityDecisions: [SecurityDecisionRecord]?

    public init(_ app: SynthesizedApp) {
        environment = app.environment.name
        let byName = Dictionary(uniqueKeysWithValues: app.stacks.map { ($0.stackName, $0) })
        // One upload step per account and region whose stacks use code assets, first.
        var uploadSteps: [Step] = []
        var uploadStepOf: [String: String] = [:]
        for stack in app.stacks where !stack.assets.isEmpty && !stack.isTemplateOnly {
            let key = "\(stack.account.id)/\(stack.region)"
            let id = "assets-\(stack.account.name)-\(stack.region)"
            let bucket = AssetBucket.name(accountId: stack.account.id, region: stack.region)
            let uploads = stack.assets.map { AssetUpload(file: "assets/\($0.key)", bucket: bucket, key: $0.key, source: $0.source) }
            if let index = uploadSteps.firstIndex(where: { $0.id == id }) {
                let merged = (uploadSteps[index].uploads ?? []) + uploads.filter { !(uploadSteps[index].uploads ?? []).contains($0) }
                uploadSteps[index] = Step.upload(id: id, account: stack.account, region: stack.region, uploads: merged.sorted { $0.key < $1.key })
            } else {
                uploadSteps.append(Step.upload(id: id, account: stack.account, region: stack.region, uploads: uploads))
            }
            uploadStepOf[key] = id
        }
        var steps = uploadSteps + app.stacks.filter { !$0.isTemplateOnly }.map { stack in
            Step(
                id: stack.stackName,
                action: .deployStack,
                account: AccountRef(name: stack.account.name, id: stack.account.id),
                region: stack.region,
                dependsOn: (stack.assets.isEmpty ? [] : [uploadStepOf["\(stack.account.id)/\(stack.region)"]!]) + stack.dependencies,
                stackName: stack.stackName,
                template: stack.templateFileName,
                shared: stack.isShared,
                parameters: stack.inputs.map { input in
                    let producer = byName[input.producerStack]!
                    return ParameterSource(
                        parameter: input.parameter, fromStep: input.producerStack, output: input.output,
                        crossAccount: producer.account.id != stack.account.id,
                        crossRegion: producer.region != stack.region)
                },
                outputs: stack.template.outputs.map(\.name),
                outputSources: stack.outputSources.isEmpty ? nil : stack.outputSources,
                capabilities: Self.capabilities(of: stack.template),
                uploads: nil)
        }
        Self.orderAfterBootstrap(&steps, stackSets: app.stackSets)
        self.steps = steps
        delegations = app.delegations
        stackSets = app.stackSets
        trusts = app.trusts
        pipelines = app.pipelines
        let replacing = app.stacks.filter { !$0.isTemplateOnly }.flatMap(ReplacingParameter.find(in:))
        replacingParameters = replacing.isEmpty ? nil : replacing
        // Template-only stacks too: the bootstrap's resources are deployed by its StackSet.
        let decisions = app.stacks.flatMap(\.securityDecisions)
        securityDecisions = decisions.isEmpty ? nil : decisions
    }

    /// Every step in an account and region the bootstrap StackSet reaches (asset uploads into its
    /// bucket, stacks deployed with its roles) depends on the StackSet's step, which waits for
    /// those instances; then the steps are put in a valid order again and given their waves.
    static func orderAfterBootstrap(_ steps: inout [Step], stackSets: [StackSetFact]) {
        if let bootstrap = stackSets.first(where: \.providesBootstrap),
            let index = steps.firstIndex(where: { $0.stackName == bootstrap.stack })
        {
            let accounts = Set(bootstrap.targetAccounts)
            var waitAccounts: [String] = []
            var waitRegions: [String] = []
            for position in steps.indices where position != index {
                let step = steps[position]
                guard accounts.contains(step.account.id), bootstrap.regions.contains(step.region) else { continue }
                if !step.dependsOn.contains(steps[index].id) { steps[position].dependsOn.insert(steps[index].id, at: 0) }
                steps[position].assetBucket = AssetBucket.name(accountId: step.account.id, region: step.region)
                if !waitAccounts.contains(step.account.id) { waitAccounts.append(step.account.id) }
                if !waitRegions.contains(step.region) { waitRegions.append(step.region) }
            }
            if !waitAccounts.isEmpty {
                steps[index].stackSetInstances = StackSetInstances(
                    stackSet: bootstrap.name, accounts: waitAccounts.sorted(), regions: bootstrap.regions.filter(waitRegions.contains))
            }
        }
        // Stable topological order: each step moves only as far as its dependencies require.
        var placed = Set<String>()
        var ordered: [Step] = []
        var remaining = steps
        var wave: [String: Int] = [:]
        while !remaining.isEmpty {
            let next = remaining.firstIndex { $0.dependsOn.allSatisfy(placed.contains) } ?? 0
            var step = remaining.remove(at: next)
            step.wave = 1 + (step.dependsOn.compactMap { wave[$0] }.max() ?? 0)
            wave[step.id] = step.wave
            placed.insert(step.id)
            ordered.append(step)
        }
        steps = ordered
    }

    /// The longest chain of dependencies, first step to last: it bounds how fast the plan can
    /// run however many steps run at once.
    public var criticalPath: [String] {
        let byId = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        guard var current = steps.max(by: { $0.wave < $1.wave }) else { return [] }
        var path = [current.id]
        while let previous = current.dependsOn.compactMap({ byId[$0] }).first(where: { $0.wave == current.wave - 1 }) {
            path.insert(previous.id, at: 0)
            current = previous
        }
        return path
    }

    /// The steps that deploy stacks, in order.
    public var stackSteps: [Step] { steps.filter { $0.action == .deployStack } }

    /// IAM resources need CAPABILITY_IAM; IAM resources with explicit names need CAPABILITY_NAMED_IAM.
    static func capabilities(of template: Template) -> [String] {
        let iam = template.resources.filter { $0.resource.type.hasPrefix("AWS::IAM::") }
        if iam.isEmpty { return [] }
        let named = iam.contains { entry in
            ["RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"].contains { entry.resource.properties[$0] != nil }
        }
        return named ? ["CAPABILITY_NAMED_IAM"] : ["CAPABILITY_IAM"]
    }

    /// Pretty-printed JSON with sorted keys and a final newline: byte-identical between runs.
    public func json() -> String {
        if let text = try? SortedJSON.encode(self) { return text + "\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension DeployPlan.Step {
    static func upload(id: String, account: Account, region: String, uploads: [DeployPlan.AssetUpload]) -> Self {
        Self(
            id: id, action: .uploadAssets, account: DeployPlan.AccountRef(name: account.name, id: account.id), region: region,
            dependsOn: [], stackName: nil, template: nil, shared: nil, parameters: nil, outputs: nil, outputSources: nil, capabilities: nil,
            uploads: uploads)
    }
}
