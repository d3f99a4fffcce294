import CloudFormation
import Synthesis
import TestSupport
import Testing

/// One full-text test per kind of schema problem, through raw `CfnResource`s in a throwaway app.
@Suite struct ValidationTests {
    /// The one diagnostic `body` fails with, as printed.
    func problem(_ body: (Stack) -> Void) -> String {
        let diagnostics = Fixtures.diagnostics { app in body(Stack(in: app, "Photos")) }
        #expect(diagnostics.count == 1, "\(diagnostics)")
        return diagnostics.map(\.description).joined(separator: "\n")
    }

    @Test func misspeltPropertyGetsDidYouMean() {
        var line = 0
        let text = problem { stack in
            line = #line + 1
            CfnResource(in: stack, "Machine", type: "AWS::StepFunctions::StateMachine", properties: [
                "RoleArn": "arn:aws:iam::800000000001:role/machine", "DefinitionString": "{}", "StateMachineTyp": "STANDARD",
            ])
        }
        #expect(text == """
            SynthesisTests/ValidationTests.swift:\(line): error: dev/Photos/Machine: AWS::StepFunctions::StateMachine has no property 'StateMachineTyp'
              hint: did you mean 'StateMachineType'?
            """)
    }

    @Test func unknownResourceType() {
        let text = problem { stack in
            CfnResource(in: stack, "Machine", type: "AWS::StepFunction::StateMachine", properties: ["RoleArn": "x"])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Machine: unknown resource type 'AWS::StepFunction::StateMachine'
              hint: did you mean 'AWS::StepFunctions::StateMachine'?
            """))
    }

    @Test func wrongJSONType() {
        let text = problem { stack in
            CfnResource(in: stack, "Machine", type: "AWS::StepFunctions::StateMachine", properties: [
                "RoleArn": "arn:aws:iam::800000000001:role/machine", "DefinitionString": "{}",
                "LoggingConfiguration": ["Level": ["ALL"]],
            ])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Machine: AWS::StepFunctions::StateMachine property 'LoggingConfiguration.Level' must be a string, not a list
            """))
    }

    @Test func missingRequiredProperty() {
        let text = problem { stack in
            CfnResource(in: stack, "Machine", type: "AWS::StepFunctions::StateMachine", properties: ["DefinitionString": "{}"])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Machine: AWS::StepFunctions::StateMachine is missing the required property 'RoleArn'
              hint: set RoleArn; the registry schema of AWS::StepFunctions::StateMachine requires it
            """))
    }

    @Test func enumValueOutsideTheSet() {
        let text = problem { stack in
            CfnResource(in: stack, "Nightly", type: "AWS::Events::Rule", properties: [
                "ScheduleExpression": "rate(1 day)", "State": "ENABLD",
            ])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Nightly: AWS::Events::Rule property 'State' is 'ENABLD', which is not one of DISABLED, ENABLED, ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
              hint: did you mean 'ENABLED'?
            """))
    }

    @Test func patternViolation() {
        let text = problem { stack in
            CfnResource(in: stack, "Queue", type: "AWS::SQS::Queue", properties: ["QueueName": "photos", "KmsMasterKeyId": "alias/aws/sqs"])
            CfnResource(in: stack, "Key", type: "AWS::KMS::Alias", properties: ["AliasName": "photos", "TargetKeyId": "1234"])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Key: AWS::KMS::Alias property 'AliasName' is 'photos', which does not match the pattern ^(alias/)[a-zA-Z0-9:/_-]+$
            """))
    }

    @Test func rangeViolation() {
        let text = problem { stack in
            CfnResource(in: stack, "Queue", type: "AWS::SQS::Queue", properties: ["DelaySeconds": 1000])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Queue: AWS::SQS::Queue property 'DelaySeconds' is 1000, above the maximum 900
            """))
    }

    @Test func lengthViolation() {
        let text = problem { stack in
            CfnResource(in: stack, "Rule", type: "AWS::Events::Rule", properties: ["ScheduleExpression": "rate(1 day)", "Name": .string(String(repeating: "x", count: 70))])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Rule: AWS::Events::Rule property 'Name' is 70 characters long; it allows at most 64
            """))
    }

    @Test func unknownAttribute() {
        let text = problem { stack in
            let queue = CfnResource(in: stack, "Queue", type: "AWS::SQS::Queue")
            CfnResource(in: stack, "Rule", type: "AWS::Events::Rule", properties: [
                "ScheduleExpression": "rate(1 day)", "Targets": [["Id": "Queue", "Arn": queue.attribute("Arnn")]],
            ])
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Rule: GetAtt 'Queue.Arnn': AWS::SQS::Queue has no attribute 'Arnn'
              hint: did you mean 'Arn'?
            """))
    }

    @Test func intrinsicsSkipValueChecksButNotTheirTargets() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Photos")
            let queue = CfnResource(in: stack, "Queue", type: "AWS::SQS::Queue")
            // A reference where a number goes is only known at deploy time: not checked.
            CfnResource(in: stack, "Other", type: "AWS::SQS::Queue", properties: ["DelaySeconds": queue.ref("Url"), "QueueName": .sub("${AWS::StackName}-other", Object())])
        }
        #expect(diagnostics.isEmpty, "\(diagnostics)")
    }

    @Test func referenceCycleInsideAStackIsNamed() {
        let text = problem { stack in
            let queue = CfnResource(in: stack, "Queue", type: "AWS::SQS::Queue")
            let bucket = CfnResource(in: stack, "Bucket", type: "AWS::S3::Bucket", properties: [
                "NotificationConfiguration": ["QueueConfigurations": [["Event": "s3:ObjectCreated:*", "Queue": queue.attribute("Arn")]]],
            ])
            let policy = CfnResource(in: stack, "QueuePolicy", type: "AWS::SQS::QueuePolicy", properties: [
                "Queues": [queue.ref("Url")],
                "PolicyDocument": ["Statement": [["Effect": "Allow", "Principal": ["Service": "s3.amazonaws.com"], "Action": "sqs:SendMessage",
                                                  "Resource": queue.attribute("Arn"), "Condition": ["ArnEquals": ["aws:SourceArn": bucket.attribute("Arn")]]]]],
            ])
            bucket.dependsOn = [policy]
        }
        #expect(text.hasSuffix("""
            error: dev/Photos/Bucket: resources of dev-Photos depend on each other in a cycle: Bucket -> QueuePolicy -> Bucket (Bucket.DependsOn refers to QueuePolicy; QueuePolicy.PolicyDocument.Statement[0].Condition.ArnEquals.aws:SourceArn refers to Bucket)
              hint: break one link: move a policy or notification into its own resource that refers to both, or name one side by a literal instead of a reference
            """))
    }

    @Test func aLargeAppValidatesCleanly() throws {
        // Not timed (the benchmark measures speed): checks that a large app validates without problems.
        let app = try Fixtures.synthesize { app in
            for s in 0..<20 {
                let stack = Stack(in: app, "S\(s)")
                for r in 0..<100 {
                    CfnResource(in: stack, "Q\(r)", type: "AWS::SQS::Queue", properties: ["DelaySeconds": .int(r % 900)])
                }
            }
        }
        #expect(app.stacks.count == 20)
    }
}
