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

/// The organisation's own app (`Stacks/` with the repository's `Environments/`), for every
/// environment: properties of its plans, never their inventories, so that adding a stack or an
/// environment leaves these tests green.
@Suite struct WholeAppTests {
    private struct Synthesized {
        let app: SynthesizedApp
        let output: EnvironmentOutput
        var plan: DeployPlan { output.plan }
    }

    private static func organisation() throws -> (Organisation, [Environment]) {
        let catalog = try EnvironmentCatalog(root: Repository.root)
        let organisation = try catalog.organisation()
        return (organisation, try catalog.environments(organisation: organisation))
    }

    private func synthesize(_ environment: Environment, _ organisation: Organisation, _ environments: [Environment], grown: Bool = false) throws -> Synthesized {
        let app = App(environment: environment, organisation: organisation, environments: environments, rootDirectory: Repository.root)
        Infrastructure.define(in: app)
        if grown { Self.addUnrelatedStack(to: app) }
        let synthesized = try Synthesizer.synthesize(app)
        return Synthesized(app: synthesized, output: EnvironmentOutput(synthesized))
    }

    /// What a new team would add: a stack of its own with a table, a function from a code folder
    /// and a certificate in the environment's zone, created after everything else.
    static func addUnrelatedStack(to app: App) {
        let stack = Stack(in: app, "GrowthProbe", description: "A stack no test knows about.")
        let table = Table(in: stack, "Items", partitionKey: .string("Id"))
        let function = Function(
            in: stack, "Handler", runtime: .python312, handler: "app.handler", code: .folder("Stacks/Functions/weather/api"),
            environment: ["TABLE": table.name])
        table.grantReadWrite(to: function)
        if let zone = app.child("Dns")?.child("Zone") as? HostedZone {
            Certificate(in: stack, "Certificate", domainName: "scratch.\(zone.name)", zone: zone)
        }
    }

    /// Every environment of the repository; `grown` adds an unrelated stack to each first.
    private func everyEnvironment(grown: Bool = false) throws -> [Synthesized] {
        let (organisation, environments) = try Self.organisation()
        return try environments.map { try synthesize($0, organisation, environments, grown: grown) }
    }

    @Test func synthesizingTwiceGivesIdenticalBytes() throws {
        let (organisation, environments) = try Self.organisation()
        for environment in environments.prefix(3) {
            let first = try synthesize(environment, organisation, environments)
            let second = try synthesize(environment, organisation, environments)
            #expect(first.output.files == second.output.files)
            #expect(!first.output.files.isEmpty)
        }
    }

    /// Each step's dependencies come earlier in the plan, and a stack that reads another's
    /// outputs depends on it.
    @Test(arguments: [false, true]) func planStepsComeAfterWhatTheyDependOnAndReadFrom(grown: Bool) throws {
        for result in try everyEnvironment(grown: grown) {
            let position = Dictionary(uniqueKeysWithValues: result.plan.steps.enumerated().map { ($1.id, $0) })
            for (index, step) in result.plan.steps.enumerated() {
                for dependency in step.dependsOn {
                    let earlier = try #require(position[dependency], "\(step.id) depends on unknown \(dependency)")
                    #expect(earlier < index, "\(result.plan.environment): \(step.id) runs before its dependency \(dependency)")
                }
                for parameter in step.parameters ?? [] {
                    #expect(step.dependsOn.contains(parameter.fromStep), "\(step.id) reads \(parameter.fromStep) without waiting for it")
                }
            }
        }
    }

    /// Every code folder a stack uses is uploaded by an asset step of the stack's account and
    /// region, which the stack's step waits for; nothing else is uploaded.
    @Test(arguments: [false, true]) func everyAssetStepPrecedesTheStacksThatUseItsArchives(grown: Bool) throws {
        for result in try everyEnvironment(grown: grown) {
            let steps = result.plan.steps
            var used = Set<String>()
            for stack in result.app.stacks where !stack.assets.isEmpty && !stack.isTemplateOnly {
                let step = try #require(steps.first { $0.id == stack.stackName })
                for asset in stack.assets {
                    used.insert("\(stack.account.id)/\(stack.region)/\(asset.key)")
                    let upload = steps.first { candidate in
                        candidate.action == .uploadAssets && candidate.account.id == stack.account.id && candidate.region == stack.region
                            && candidate.uploads?.contains { $0.key == asset.key && $0.source == asset.source } == true
                    }
                    let uploader = try #require(upload, "\(result.plan.environment): no step uploads \(asset.source) for \(stack.stackName)")
                    #expect(step.dependsOn.contains(uploader.id), "\(stack.stackName) does not wait for \(uploader.id)")
                    #expect(uploader.uploads?.allSatisfy { $0.bucket == AssetBucket.name(accountId: stack.account.id, region: stack.region) } == true)
                }
            }
            let uploaded = Set(steps.flatMap { step in (step.uploads ?? []).map { "\(step.account.id)/\(step.region)/\($0.key)" } })
            #expect(uploaded == used, "\(result.plan.environment): uploads without a user, or users without an upload")
        }
    }

    /// Zone -> NS record in the parent (in the parent's account, with the child's real name
    /// servers) -> every certificate validated through the child zone -> what uses the certificate.
    @Test(arguments: [false, true]) func zonesAreDelegatedBeforeCertificatesValidateThroughThem(grown: Bool) throws {
        let (organisation, _) = try Self.organisation()
        for result in try everyEnvironment(grown: grown) {
            let plan = result.plan
            let environment = result.app.environment
            let byId = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0) })
            func waits(_ step: String, for other: String) -> Bool {
                var seen = Set<String>()
                var queue = byId[step]?.dependsOn ?? []
                while let next = queue.popLast() {
                    if next == other { return true }
                    if seen.insert(next).inserted { queue += byId[next]?.dependsOn ?? [] }
                }
                return false
            }
            // Every zone the environment owns is delegated once, from the apex it lies under, by the network account.
            let owned = [environment.domain] + environment.zones
            #expect(plan.delegations.map(\.childZone).sorted() == owned.sorted(), "\(environment.name)")
            for delegation in plan.delegations {
                #expect(delegation.parentZone == organisation.apex(of: delegation.childZone))
                #expect(delegation.parentAccountId == organisation.network.id)
                #expect(delegation.childAccountId == environment.account.id)
                let record = try #require(byId[delegation.recordStack])
                #expect(record.account.id == organisation.network.id)
                #expect(record.dependsOn.contains(delegation.childStack), "the NS record needs the child zone's name servers")
                #expect(record.parameters?.contains { $0.fromStep == delegation.childStack && $0.crossAccount } == true)
            }
            // A certificate validated through a delegated zone waits for the NS record.
            for stack in result.app.stacks where !stack.isTemplateOnly {
                for (_, resource) in stack.template.resources where resource.type == "AWS::CertificateManager::Certificate" {
                    guard case .string(let name)? = resource.properties["DomainName"] else { continue }
                    let bare = name.hasPrefix("*.") ? String(name.dropFirst(2)) : name
                    let zone = plan.delegations.filter { DomainName.isWithin(bare, zone: $0.childZone) }.max { $0.childZone.count < $1.childZone.count }
                    let delegation = try #require(zone, "\(stack.stackName): certificate \(name) is in no delegated zone")
                    #expect(waits(stack.stackName, for: delegation.recordStack), "\(stack.stackName) does not wait for \(delegation.recordStack)")
                }
            }
            // The review in plan.md lists each delegation and draws it.
            let markdown = String(decoding: try #require(result.output.file("plan.md")).contents, as: UTF8.self)
            for d in plan.delegations {
                #expect(markdown.contains("| \(d.parentZone) | \(d.parentAccount) (\(d.parentAccountId)) | \(d.childZone) | \(d.childAccount) (\(d.childAccountId)) | \(d.recordStack) | \(d.childStack) |"))
                #expect(markdown.contains("-. \"NS \(d.childZone)\" .->"))
            }
        }
    }

    /// Every apex domain is a zone of a shared stack in the network account, in the plan of each
    /// environment delegated from it; brainfartlab.com's keeps the stack and logical id it had
    /// when it was the only apex.
    @Test func everyApexIsAZoneOfTheNetworkAccount() throws {
        let (organisation, _) = try Self.organisation()
        #expect(organisation.apexDomains.count >= 2)
        var seen = Set<String>()
        for result in try everyEnvironment() {
            var apexes: [String: SynthesizedStack] = [:]
            for stack in result.app.stacks where stack.isShared {
                for (_, zone) in stack.template.resources where zone.type == "AWS::Route53::HostedZone" {
                    if case .string(let name)? = zone.properties["Name"] { apexes[name] = stack }
                }
            }
            for delegation in result.plan.delegations {
                let stack = try #require(apexes[delegation.parentZone], "\(result.plan.environment): no apex stack for \(delegation.parentZone)")
                #expect(stack.account == organisation.network)
                seen.insert(delegation.parentZone)
            }
            if let original = apexes["brainfartlab.com"] {
                #expect(original.stackName == "shared-ApexDns")
                #expect(original.template.resource("Apex") != nil)
            }
        }
        #expect(seen == Set(organisation.apexDomains))
    }

    /// CloudFront reads certificates from us-east-1 only: a distribution's certificate comes from
    /// a us-east-1 step that runs first.
    @Test(arguments: [false, true]) func distributionsTakeTheirCertificateFromUsEast1(grown: Bool) throws {
        for result in try everyEnvironment(grown: grown) {
            for stack in result.app.stacks where stack.template.resources.contains(where: { $0.resource.type == "AWS::CloudFront::Distribution" }) {
                let step = try #require(result.plan.steps.first { $0.id == stack.stackName })
                for input in stack.inputs where input.output.hasSuffix("CertificateArn") {
                    let producer = try #require(result.plan.steps.first { $0.id == input.producerStack })
                    #expect(producer.region == "us-east-1")
                    #expect(step.dependsOn.contains(producer.id))
                    #expect(step.parameters?.contains { $0.fromStep == producer.id && $0.crossRegion == (step.region != "us-east-1") } == true)
                }
            }
        }
    }
}
