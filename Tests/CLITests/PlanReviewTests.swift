import Foundation
import Plan
import Synthesis
import TestSupport
import Testing

/// Properties of the committed plans and review: bootstrap ordering, waves, per-region roles, and
/// who each organisation-wide fact is attributed to.
@Suite struct PlanReviewTests {
    private func plans() throws -> [DeployPlan] {
        let out = Repository.root.appendingPathComponent("out")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter {
            FileManager.default.fileExists(atPath: out.appendingPathComponent("\($0)/plan.json").path)
        }.sorted()
        return try names.map { try JSONDecoder().decode(DeployPlan.self, from: Data(contentsOf: out.appendingPathComponent("\($0)/plan.json"))) }
    }

    @Test func everyStepThatNeedsTheBootstrapRunsAfterItAndItWaitsForThoseInstances() throws {
        for plan in try plans() {
            let bootstrap = try #require(plan.stackSets.first { $0.providesBootstrap })
            let position = try #require(plan.steps.firstIndex { $0.stackName == bootstrap.stack })
            let step = plan.steps[position]
            for (index, other) in plan.steps.enumerated() where index != position {
                let needs = bootstrap.targetAccounts.contains(other.account.id) && bootstrap.regions.contains(other.region)
                #expect(other.dependsOn.contains(step.id) == needs, "\(plan.environment) \(other.id)")
                if needs {
                    #expect(index > position)
                    #expect(other.assetBucket == AssetBucket.name(accountId: other.account.id, region: other.region))
                    #expect(step.stackSetInstances?.accounts.contains(other.account.id) == true)
                    #expect(step.stackSetInstances?.regions.contains(other.region) == true)
                }
            }
            // Every asset upload needs the bucket the bootstrap creates.
            #expect(plan.steps.filter { $0.action == .uploadAssets }.allSatisfy { $0.dependsOn.contains(step.id) })
        }
    }

    @Test func wavesFollowDependenciesAndTheCriticalPathIsAChain() throws {
        for plan in try plans() {
            let byId = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0) })
            for step in plan.steps {
                let after = step.dependsOn.compactMap { byId[$0]?.wave }.max() ?? 0
                #expect(step.wave == after + 1, "\(plan.environment) \(step.id)")
            }
            let path = plan.criticalPath
            #expect(path.count == plan.steps.map(\.wave).max())
            for (earlier, later) in zip(path, path.dropFirst()) { #expect(byId[later]?.dependsOn.contains(earlier) == true) }
        }
    }

    @Test func pipelinesAssumeADeployRoleInEveryRegionTheirStepsUse() throws {
        for plan in try plans() {
            for pipeline in plan.pipelines {
                let regions = Set(plan.steps.filter { "\($0.account.name) (\($0.account.id))" == pipeline.targetAccount || pipeline.targetAccount.hasSuffix("(\($0.account.id))") }.map(\.region))
                for region in regions { #expect(pipeline.deployRoles.contains("stratus-deploy-\(region)"), "\(pipeline.pipeline) \(region)") }
                let template = try String(contentsOf: Repository.root.appendingPathComponent("out/\(plan.environment)/\(pipeline.stack).template.yaml"), encoding: .utf8)
                for region in regions { #expect(template.contains(":role/stratus-deploy-\(region)"), "\(pipeline.stack) \(region)") }
            }
            // plan.md's trust table shows the deploy role of every bootstrapped region.
            let markdown = try String(contentsOf: Repository.root.appendingPathComponent("out/\(plan.environment)/plan.md"), encoding: .utf8)
            for region in plan.stackSets.first(where: \.providesBootstrap)?.regions ?? [] {
                #expect(markdown.contains("| stratus-deploy-\(region) (BootstrapTemplate/Bootstrap/DeployRole) |"))
            }
        }
    }

    /// Rows of the table under `heading` in `markdown`, as cells.
    private func rows(_ heading: String, in markdown: String) -> [[String]] {
        guard let range = markdown.range(of: "\(heading)\n\n") else { return [] }
        return markdown[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("|") }.dropFirst(2)
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func reviewAttributesOrganisationWideFactsToTheirAccounts() throws {
        let review = try String(contentsOf: Repository.root.appendingPathComponent("out/review.md"), encoding: .utf8)
        let organisation = try EnvironmentCatalog(root: Repository.root)
        let shared = try organisation.organisation()
        let environments = try organisation.environments(organisation: shared)
        func names(of id: String) -> String {
            shared.accounts.first { $0.id == id }?.name ?? environments.filter { $0.account.id == id }.map(\.name).sorted().joined(separator: ", ")
        }
        // Hand-checked: the hdoc stages share 300000000001; the bootstrap creates a deploy role in
        // eu-west-1 and us-east-1 of every account that trusts cicd.
        let trust = rows("## Organisation-wide trust", in: review)
        #expect(trust.contains { $0[1] == "us-east-1" && $0[2] == "hdoc-dev, hdoc-prod, hdoc-staging (300000000001)" })
        #expect(trust.contains { $0[1] == "us-east-1" && $0[2] == "dev (200000000002)" })
        #expect(!trust.contains { $0[2].contains("tst") }, "tst trusts nobody else")
        for row in trust {
            // The account cell names the account by all its environments, never another's.
            let id = String(row[2].suffix(13).dropLast())
            #expect(row[2] == "\(names(of: id)) (\(id))")
            #expect(row[0].hasPrefix("stratus-deploy-\(row[1]) "))
            // Listed once, and in every region the StackSet targets.
            #expect(trust.filter { $0 == row }.count == 1)
            #expect(trust.filter { $0[2] == row[2] }.count == 2)
        }
        // Facts of environment stacks carry the environment whose stack made them.
        for row in rows("## Cross-account trust of environment stacks", in: review) { #expect(row[4].hasPrefix(row[0] + "-")) }
        // No bare account ids in overrides: each id is named.
        for row in rows("## StackSets", in: review) {
            for line in row[4].components(separatedBy: "<br>") {
                let id = String(line.prefix { $0 != ":" }.suffix(13).dropLast())
                #expect(line.hasPrefix("\(names(of: id)) (\(id)): "), "\(line)")
                #expect(line.hasSuffix(" (\(shared.cicd.name))"))
            }
        }
        // The diagram: a box per account, a dotted edge per delegation, a pipeline edge per pipeline.
        let diagram = review.components(separatedBy: "```mermaid\n").last ?? ""
        for id in Set(environments.map(\.account.id) + shared.accounts.map(\.id)) {
            #expect(diagram.contains("  a\(id)[\"\(names(of: id)) · \(id)\"]"), "\(id)")
        }
        for environment in environments {
            #expect(diagram.contains("a\(shared.network.id) -. \"NS \(environment.domain)\" .-> a\(environment.account.id)"))
            if environment.pipeline != nil {
                #expect(diagram.contains("a\(shared.cicd.id) ==>|\"pipeline \(environment.name)-Delivery-Pipeline"))
                #expect(diagram.contains("a\(shared.cicd.id) -->|\"may assume stratus-deploy-"))
            }
        }
    }
}
