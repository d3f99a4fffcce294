import CloudFormation
import Plan
import Synthesis
import TestSupport
import Testing

@testable import synth

@Suite struct WorkspaceTests {
    @Test func templatesTooLargeForAnInlineDeployAreAnError() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Big")
            for index in 0..<300 {
                CfnResource(in: stack, "Topic\(index)", type: "AWS::SNS::Topic", properties: ["DisplayName": .string(String(repeating: "x", count: 100))])
            }
        }
        let problems = Workspace.oversizedTemplates([EnvironmentOutput(app)])
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix("template dev-Big.template.yaml of dev is ") == true)
        #expect(problems.first?.message.hasSuffix(" bytes; aws cloudformation deploy takes at most 51200 inline") == true)
        #expect(problems.first?.hint == "split the stack in two (values flow between stacks through the plan)")
    }
}
