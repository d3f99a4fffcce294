import CloudFormation
import Constructs
import Plan
import Stacks
import Synthesis
import TestSupport
import Testing

/// A resource with no service behind it, for testing the tree mechanics: a custom resource, which
/// takes any properties (no registry schema describes it).
private func topic(_ scope: Construct, _ id: String, properties: Object = Object(), line: Int = #line) -> CfnResource {
    CfnResource(in: scope, id, type: "Custom::Test", properties: properties, line: line)
}

@Suite struct LogicalIdTests {
    @Test(arguments: [
        ("Zone", "Zone"), ("get-games", "GetGames"), ("api_v2", "ApiV2"), ("games route", "GamesRoute"),
        ("x", "X"), ("ÄpI", "PI"), ("42", "42"),
    ])
    func pascalCase(_ input: String, _ expected: String) {
        #expect(LogicalIds.pascalCase(input) == expected)
    }

    @Test func logicalIdIsThePathBelowTheStackWithoutResource() throws {
        let app = Fixtures.app()
        let stack = Stack(in: app, "Test")
        let api = Construct(in: stack, "QuizApi")
        let route = Construct(in: api, "get-games")
        let resource = topic(route, "Resource")
        let role = topic(api, "Role")
        #expect(LogicalIds.logicalId(for: resource) == "QuizApiGetGames")
        #expect(LogicalIds.logicalId(for: role) == "QuizApiRole")
        role.overrideLogicalId("LegacyRole")
        #expect(LogicalIds.logicalId(for: role) == "LegacyRole")
    }

    @Test func collidingLogicalIdsNameBothPaths() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            _ = topic(stack, "ApiZone")
            _ = topic(Construct(in: stack, "Api"), "Zone", line: 1000)
        }
        #expect(diagnostics.map(\.description) == [
            "SynthesisTests/SynthesisTests.swift:1000: error: logical id 'ApiZone' is used by dev/Test/ApiZone and dev/Test/Api/Zone\n  hint: rename one construct id, or pin one with overrideLogicalId(_:)"
        ])
    }

    @Test func invalidOverrideIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            topic(Stack(in: app, "Test"), "T").overrideLogicalId("not-valid")
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/T: logical id override 'not-valid' must be 1 to 255 letters and digits"])
    }

    @Test func duplicateConstructIdNamesThePath() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            _ = topic(stack, "Topic", line: 1000)
            _ = topic(stack, "Topic", line: 1001)
        }
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location == SourceLocation(file: "SynthesisTests/SynthesisTests.swift", line: 1001))
        #expect(diagnostics.first?.message == "dev/Test/Topic: construct id 'Topic' is already used in dev/Test (first at SynthesisTests/SynthesisTests.swift:1000)")
        #expect(diagnostics.first?.hint == "ids must be unique among siblings; rename one of them")
    }

    /// A reference to the construct a duplicate id kept out of the tree follows from that error:
    /// only the cause is reported. A reference to a construct of another app still is.
    @Test func aReferenceToARejectedConstructIsFoldedIntoTheDuplicateId() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            _ = topic(stack, "Topic", line: 1000)
            let rejected = topic(stack, "Topic", line: 1001)
            _ = topic(stack, "Subscriber", properties: ["TopicArn": rejected.ref("Topic")])
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Topic: construct id 'Topic' is already used in dev/Test (first at SynthesisTests/SynthesisTests.swift:1000)"])
        let other = Fixtures.app()
        let foreign = topic(Stack(in: other, "Other"), "Foreign")
        let outside = Fixtures.diagnostics { app in _ = topic(Stack(in: app, "Test"), "Subscriber", properties: ["TopicArn": foreign.ref("Foreign")]) }
        #expect(outside.map(\.message) == ["dev/Test/Subscriber: refers to dev/Other/Foreign, which is not part of the app"])
    }

    @Test func invalidConstructIdIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in _ = Construct(in: Stack(in: app, "Test"), "a/b") }
        #expect(diagnostics.map(\.message) == ["dev/Test: construct id 'a/b' must be non-empty and must not contain '/'"])
    }

    @Test func stackIdMustBeAlphanumeric() {
        let diagnostics = Fixtures.diagnostics { app in _ = Stack(in: app, "my-stack") }
        #expect(diagnostics.map(\.message) == ["dev/my-stack: stack id 'my-stack' must start with a letter and contain only letters and digits"])
    }
}

@Suite struct ReferenceTests {
    @Test func referencesInsideAStackAreRefAndGetAtt() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let a = topic(stack, "A")
            _ = topic(stack, "B", properties: Object([("DisplayName", a.attribute("TopicName")), ("Other", a.ref("Arn"))]))
        }
        #expect(Fixtures.yaml(app, "dev-Test").contains("""
              B:
                Type: Custom::Test
                Properties:
                  DisplayName: !GetAtt A.TopicName
                  Other: !Ref A
            """))
        #expect(app.stack(named: "dev-Test")?.template.outputs.isEmpty == true)
    }

    @Test func referencesAcrossStacksBecomeOutputsAndParameters() throws {
        let app = try Fixtures.synthesize { app in
            let consumerStack = Stack(in: app, "Consumer")
            let producerStack = Stack(in: app, "Producer", account: app.organisation.network, region: "us-east-1")
            let producer = topic(producerStack, "Source")
            _ = topic(consumerStack, "Sink", properties: Object([
                ("A", producer.ref("Arn")), ("B", producer.ref("Arn")), ("C", producer.attribute("Names", list: true)),
            ]))
        }
        // The producer deploys first although it was created second.
        #expect(app.stacks.map(\.stackName) == ["dev-Producer", "dev-Consumer"])
        #expect(Fixtures.yaml(app, "dev-Producer").hasSuffix("""
            Outputs:
              SourceArn:
                Description: Arn of Producer/Source, read by the deploy plan
                Value: !Ref Source
              SourceNames:
                Description: Names of Producer/Source, read by the deploy plan
                Value: !Join [',', !GetAtt Source.Names]

            """))
        #expect(Fixtures.yaml(app, "dev-Consumer") == """
            AWSTemplateFormatVersion: '2010-09-09'
            Description: Stack dev-Consumer, generated by Stratus from Stacks/. Do not edit; run swift run synth.
            Parameters:
              ProducerSourceArn:
                Type: String
                Description: Arn of Producer/Source from stack dev-Producer (network 900000000002, us-east-1); filled in by the deploy plan
              ProducerSourceNames:
                Type: CommaDelimitedList
                Description: Names of Producer/Source from stack dev-Producer (network 900000000002, us-east-1); filled in by the deploy plan
            Resources:
              Sink:
                Type: Custom::Test
                Properties:
                  A: !Ref ProducerSourceArn
                  B: !Ref ProducerSourceArn
                  C: !Ref ProducerSourceNames

            """)
        let consumer = try #require(app.stack(named: "dev-Consumer"))
        #expect(consumer.inputs == [
            StackInput(parameter: "ProducerSourceArn", producerStack: "dev-Producer", output: "SourceArn"),
            StackInput(parameter: "ProducerSourceNames", producerStack: "dev-Producer", output: "SourceNames"),
        ])
        #expect(consumer.dependencies == ["dev-Producer"])
        let plan = DeployPlan(app)
        #expect(plan.steps[1].parameters?.allSatisfy { $0.crossAccount && $0.crossRegion } == true)
    }

    @Test func dependsOnInsideAStackAndAcrossStacks() throws {
        let app = try Fixtures.synthesize { app in
            let first = Stack(in: app, "First")
            let second = Stack(in: app, "Second")
            let a = topic(second, "A")
            let b = topic(second, "B")
            let c = topic(first, "C")
            b.dependsOn = [a, a]
            c.dependsOn = [b]
        }
        #expect(app.stacks.map(\.stackName) == ["dev-Second", "dev-First"])
        #expect(app.stack(named: "dev-Second")?.template.resource("B")?.dependsOn == ["A"])
        #expect(app.stack(named: "dev-First")?.template.resource("C")?.dependsOn == [])
        #expect(app.stack(named: "dev-First")?.dependencies == ["dev-Second"])
    }

    @Test func referenceCycleBetweenStacksIsNamed() {
        let diagnostics = Fixtures.diagnostics { app in
            let first = Stack(in: app, "First")
            let second = Stack(in: app, "Second")
            let a = topic(first, "A")
            let b = topic(second, "B", properties: Object([("X", a.ref("Arn"))]))
            a.properties["Y"] = b.ref("Arn")
        }
        #expect(diagnostics.map(\.message) == [
            "stacks depend on each other in a cycle: dev-First -> dev-Second -> dev-First (First/A uses Second/B.Arn; Second/B uses First/A.Arn)"
        ])
        #expect(diagnostics.first?.hint == "move one of these resources into another stack so that values flow one way")
    }

    @Test func sharedStackMayNotUseEnvironmentValues() {
        let diagnostics = Fixtures.diagnostics { app in
            let environmentStack = Stack(in: app, "Env")
            let shared = Stack(in: app, "Common", account: app.organisation.network, shared: true)
            let a = topic(environmentStack, "A")
            _ = topic(shared, "B", properties: Object([("X", a.ref("Arn"))]))
        }
        #expect(diagnostics.map(\.message) == ["dev/Common/B: shared stack shared-Common uses Env/A from environment stack dev-Env"])
    }

    @Test func moreThan500ResourcesInAStackIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Big")
            for index in 0..<501 { _ = topic(stack, "T\(index)") }
        }
        #expect(diagnostics.map(\.message) == ["dev/Big: stack has 501 resources; CloudFormation allows 500 per template"])
    }

    @Test func resourceOutsideAStackIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in _ = topic(app, "Loose") }
        #expect(diagnostics.map(\.message) == ["dev/Loose: resource is not inside a stack"])
    }
}

@Suite struct WholeAppTests {
    private func synthesizeOrganisation(_ name: String) throws -> EnvironmentOutput {
        let app = Fixtures.app(Fixtures.environments.first { $0.name == name }!)
        Infrastructure.define(in: app)
        return EnvironmentOutput(try Synthesizer.synthesize(app))
    }

    @Test func synthesizingTwiceGivesIdenticalBytes() throws {
        for name in ["tst", "dev", "prd"] {
            let first = try synthesizeOrganisation(name)
            let second = try synthesizeOrganisation(name)
            #expect(first.files == second.files)
            #expect(!first.files.isEmpty)
        }
    }

    @Test func planOrdersAssetsZonesDelegationCertificateAndApplications() throws {
        let output = try synthesizeOrganisation("dev")
        #expect(output.plan.steps.map(\.id) == [
            "shared-OrganisationBootstrap", "assets-dev-eu-west-1", "shared-ApexDns", "dev-Dns", "dev-Delegation", "dev-Platform",
            "dev-Quiz", "dev-DigidexFrontendCertificate", "dev-DigidexFrontend", "dev-DigidexBackend", "dev-Resume", "dev-Weather",
            "dev-WeatherDelivery",
        ])
        // The certificate in dev-Platform validates through dev.example.com, which answers only
        // once the apex delegates it: the platform waits for the delegation.
        // Steps in the bootstrapped dev account wait for the bootstrap StackSet first.
        #expect(output.plan.steps[5].dependsOn == ["shared-OrganisationBootstrap", "dev-Dns", "dev-Delegation"])
        #expect(output.plan.steps[6].dependsOn == ["shared-OrganisationBootstrap", "assets-dev-eu-west-1", "dev-Platform"])
        #expect(Set(output.plan.steps[1].uploads?.map(\.source) ?? []) == [
            "Stacks/Functions/quiz/games", "Stacks/Functions/quiz/generator", "Stacks/Functions/quiz/questions", "Stacks/Functions/digidex/api",
            "Stacks/Functions/resume/api", "Stacks/Functions/weather/api",
        ])
        // The CloudFront certificate is in us-east-1 and reaches the frontend through the plan.
        #expect(output.plan.steps[7].region == "us-east-1")
        #expect(output.plan.steps[8].parameters?.first?.crossRegion == true)
        #expect(output.plan.steps[1].uploads?.allSatisfy { $0.bucket == "stratus-assets-800000000001-eu-west-1" } == true)
        let delegation = output.plan.steps[4]
        #expect(delegation.account == DeployPlan.AccountRef(name: "network", id: "900000000002"))
        #expect(delegation.parameters?.map(\.parameter) == ["ApexDnsApexId", "DnsZoneNameServers"])
        #expect(delegation.parameters?.map(\.crossAccount) == [false, true])
        #expect(output.plan.delegations.map { "\($0.parentZone)@\($0.parentAccount) -> \($0.childZone)@\($0.childAccount)" } == [
            "example.com@network -> dev.example.com@dev"
        ])
        let markdown = try #require(output.file("plan.md")).contents
        let text = String(decoding: markdown, as: UTF8.self)
        #expect(text.contains("| example.com | network (900000000002) | dev.example.com | dev (800000000001) | dev-Delegation | dev-Dns |"))
        #expect(text.contains("s_dev_Delegation -. \"NS dev.example.com\" .-> s_dev_Dns"))
    }
}
