import AWSDynamoDB
import AWSEvents
import AWSLambda
import AWSStepFunctions
import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport
import Testing

@Suite struct TypedL1Tests {
    /// The README's escape-hatch example: a state machine and the nightly rule that starts it.
    @Test func stateMachineAndScheduledRuleRenderTheirTypedFields() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let role = Role(in: stack, "MachineRole", trust: .service("states.amazonaws.com"))
            let machine = StepFunctions.StateMachine(
                in: stack, "Cleanup", roleArn: .value(role.arn),
                definitionString: #"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#,
                stateMachineType: .standard,
                tracingConfiguration: .init(enabled: true))
            let starter = Role(in: stack, "RuleRole", trust: .service("events.amazonaws.com"))
            starter.addToPolicy(PolicyStatement(actions: ["states:StartExecution"], resources: [machine.attrArn.cfnValue]))
            Events.Rule(
                in: stack, "Nightly", description: "Removes expired uploads", scheduleExpression: "cron(0 3 * * ? *)",
                state: .enabled,
                targets: [.init(arn: machine.attrArn, id: "Cleanup", roleArn: .value(starter.arn))])
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              Cleanup:
                Type: AWS::StepFunctions::StateMachine
                Properties:
                  DefinitionString: '{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}'
                  RoleArn: !GetAtt MachineRole.Arn
                  StateMachineType: STANDARD
                  TracingConfiguration:
                    Enabled: true
            """), "\(yaml)")
        #expect(yaml.contains("""
              Nightly:
                Type: AWS::Events::Rule
                Properties:
                  Description: Removes expired uploads
                  ScheduleExpression: cron(0 3 * * ? *)
                  State: ENABLED
                  Targets:
                  - Arn: !GetAtt Cleanup.Arn
                    Id: Cleanup
                    RoleArn: !GetAtt RuleRole.Arn
            """), "\(yaml)")
    }

    /// CDK's `node.defaultChild as CfnTable`, typed: a construct's resource is its L1 class.
    @Test func constructsExposeTheirTypedResource() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let table = Table(in: stack, "Photos", partitionKey: .string("PhotoId"))
            table.resource.tableClass = .standardInfrequentAccess
            table.resource.contributorInsightsSpecification = .init(enabled: true)
            let function = Function(in: stack, "Resize", handler: "app.handler", code: .inline("x"))
            function.resource.ephemeralStorage = .init(size: 2048)
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("TableClass: STANDARD_INFREQUENT_ACCESS"))
        #expect(yaml.contains("ContributorInsightsSpecification:\n        Enabled: true"))
        #expect(yaml.contains("EphemeralStorage:\n        Size: 2048"))
        #expect(yaml.contains("SSESpecification:\n        SSEEnabled: true"), "the construct's secure defaults stay")
    }

    @Test func enumFieldsTakeValuesNewerThanTheSchema() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            Events.Rule(in: stack, "Nightly", scheduleExpression: "rate(1 day)", state: "ENABLED")
        }
        #expect(Fixtures.yaml(app, "dev-Photos").contains("State: ENABLED"))
    }

    @Test func rawPropertiesAndOverridesGoOverTypedFields() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let rule = Events.Rule(in: stack, "Nightly", scheduleExpression: "rate(1 day)")
            rule.description = "typed"
            rule.properties["Description"] = "raw wins"
            rule.addPropertyOverride("EventPattern.source", ["aws.s3"])
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("Description: raw wins"))
        #expect(yaml.contains("""
                  EventPattern:
                    source:
                    - aws.s3
            """), "\(yaml)")
    }

    @Test func typedResourcesAreValidatedLikeRawOnes() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Photos")
            Events.Rule(in: stack, "Nightly", scheduleExpression: "rate(1 day)", state: "ENABLD")
        }
        #expect(diagnostics.map(\.message) == ["dev/Photos/Nightly: AWS::Events::Rule property 'State' is 'ENABLD', which is not one of DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])
    }

    /// The generator's output for a schema with a nested property type, an enum, a recursive type,
    /// a list of objects and a map, compared with the reviewed expectation.
    @Test func generatorOutputForRepresentativeShapes() throws {
        guard let python = Command.which("python3") else { Issue.record("python3 is needed"); return }
        let fixture = "Tests/L1Tests/Fixtures/widget.schema.json"
        let result = try Command.run(python, ["Scripts/generate-l1", "--schema", fixture], in: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: Repository.root.appendingPathComponent("Tests/L1Tests/Fixtures/Widget.swift.expected"), encoding: .utf8)
        #expect(result.stdout == expected, "the generator's output changed: review it, then write it to Tests/L1Tests/Fixtures/Widget.swift.expected")
    }

    /// Sources/L1 is exactly what the generator writes from the pinned cfn-lint's schemas.
    @Test func generatedL1IsFresh() throws {
        guard let python = Command.which("python3") else { Issue.record("python3 is needed"); return }
        let scratch = try TemporaryDirectory()
        let result = try Command.run(python, ["Scripts/generate-l1", "--out", scratch.url.path], in: Repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        let committed = Repository.root.appendingPathComponent("Sources/L1")
        let fresh = try files(under: scratch.url)
        let existing = try files(under: committed)
        #expect(fresh.keys.sorted() == existing.keys.sorted(), "run Scripts/generate-l1 and commit Sources/L1 and Package.swift")
        let stale = fresh.filter { existing[$0.key] != $0.value }.keys.sorted()
        #expect(stale.isEmpty, "stale generated files (run Scripts/generate-l1): \(stale.prefix(10))")
        let manifest = try String(contentsOf: Repository.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let services = try String(contentsOf: scratch.url.appendingPathComponent("services.txt"), encoding: .utf8)
            .split(separator: "\n").map { "    \"\($0)\",\n" }.joined()
        #expect(manifest.contains("let l1Services = [\n" + services + "]\n"), "Package.swift's service list is stale: run Scripts/generate-l1")
        let cores = try String(contentsOf: scratch.url.appendingPathComponent("construct-type-services.txt"), encoding: .utf8)
            .split(separator: "\n").map { "    \"\($0)\",\n" }.joined()
        #expect(manifest.contains("let l1ConstructTypeServices = [\n" + cores + "]\n"), "Package.swift's list of services with types in L1ConstructTypes is stale: run Scripts/generate-l1")
    }

    private func files(under root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let relative = String(url.path.dropFirst(root.path.count + 1))
            result[relative] = try Data(contentsOf: url)
        }
        return result
    }
}
