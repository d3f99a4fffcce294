import CloudFormation
import Constructs
import Plan
import Synthesis
import TestSupport
import Testing

@testable import StratusCLI

@Suite struct WorkspaceTests {
    /// An app with `count` topics of `size`-character names in one stack of the environment's
    /// account, bootstrapped (asset bucket, roles) or not.
    private func app(topics count: Int, size: Int, bootstrapped: Bool) throws -> EnvironmentOutput {
        try EnvironmentOutput(Fixtures.synthesize { app in
            if bootstrapped {
                let template = Stack(in: app, "BootstrapTemplate", account: app.organisation.management, shared: true, templateOnly: true)
                let bootstrap = Bootstrap(in: template, "Bootstrap")
                let management = Stack(in: app, "OrganisationBootstrap", account: app.organisation.management, shared: true)
                bootstrap.rollOut(in: management, "StackSet", environments: app.environments, trust: [:])
            }
            let stack = Stack(in: app, "Big")
            for index in 0..<count {
                CfnResource(in: stack, "Topic\(index)", type: "AWS::SNS::Topic", properties: ["DisplayName": .string(String(repeating: "x", count: size))])
            }
        })
    }

    @Test func largeTemplatesNeedAnAssetBucket() throws {
        let problems = Workspace.oversizedTemplates([try app(topics: 300, size: 100, bootstrapped: false)])
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix("template dev-Big.template.yaml of dev is ") == true)
        #expect(problems.first?.message.hasSuffix(" bytes, over the 51200 CloudFormation takes inline, and account dev has no bootstrap asset bucket in eu-west-1 to send it through") == true)
        #expect(problems.first?.hint == "split the stack in two (values flow between stacks through the plan)")
    }

    @Test func largeTemplatesDeployThroughTheAssetBucketUpToOneMegabyte() throws {
        let large = try app(topics: 300, size: 100, bootstrapped: true)
        #expect(large.file("dev-Big.template.yaml").map { $0.contents.count > DeployPlan.inlineTemplateLimit } == true)
        #expect(Workspace.oversizedTemplates([large]).isEmpty)
        #expect(large.plan.steps.first { $0.id == "dev-Big" }?.assetBucket == "stratus-assets-800000000001-eu-west-1")

        let huge = Workspace.oversizedTemplates([try app(topics: 450, size: 2_400, bootstrapped: true)])
        #expect(huge.count == 1)
        #expect(huge.first?.message.hasSuffix(" bytes; CloudFormation takes at most 1048576 (1 MB), even from S3") == true)
    }
}
