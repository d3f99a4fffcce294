import CloudFormation
import Foundation
import Synthesis

/// The ordered steps that deploy one environment, written as `plan.json` (for machines) and
/// `plan.md` (for people). Steps form a DAG; their order in `steps` is a valid deploy order.
public struct DeployPlan: Codable, Equatable, Sendable {
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

    public struct Step: Codable, Equatable, Sendable {
        /// Unique within the plan; the stack name for a stack step.
        public let id: String
        /// `deploy-stack`.
        public let action: String
        public let stackName: String
        public let account: AccountRef
        public let region: String
        /// The template, relative to the plan's folder.
        public let template: String
        /// True for a stack that every environment's plan deploys identically.
        public let shared: Bool
        public let dependsOn: [String]
        public let parameters: [ParameterSource]
        public let outputs: [String]
        /// `CAPABILITY_IAM` / `CAPABILITY_NAMED_IAM` when the template creates IAM resources.
        public let capabilities: [String]
    }

    public let environment: String
    public let steps: [Step]
    public let delegations: [Delegation]

    public init(_ app: SynthesizedApp) {
        environment = app.environment.name
        let byName = Dictionary(uniqueKeysWithValues: app.stacks.map { ($0.stackName, $0) })
        steps = app.stacks.map { stack in
            Step(
                id: stack.stackName,
                action: "deploy-stack",
                stackName: stack.stackName,
                account: AccountRef(name: stack.account.name, id: stack.account.id),
                region: stack.region,
                template: stack.templateFileName,
                shared: stack.isShared,
                dependsOn: stack.dependencies,
                parameters: stack.inputs.map { input in
                    let producer = byName[input.producerStack]!
                    return ParameterSource(
                        parameter: input.parameter, fromStep: input.producerStack, output: input.output,
                        crossAccount: producer.account.id != stack.account.id,
                        crossRegion: producer.region != stack.region)
                },
                outputs: stack.template.outputs.map(\.name),
                capabilities: Self.capabilities(of: stack.template))
        }
        delegations = app.delegations
    }

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
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
