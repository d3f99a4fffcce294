import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

/// Every error an EventBridge rule and its targets can raise (schedules: ScheduleExpressionTests).
@Suite struct RuleErrorTests {
    static func errors(_ body: (App) -> Void) -> String {
        DiagnosticError(Fixtures.diagnostics(body)).description
    }

    @Test func ruleWithoutScheduleOrPatternOrTargets() {
        #expect(Self.errors { app in Rule(in: Stack(in: app, "Test"), "Idle", line: 3) } == """
            ConstructsTests/RuleErrorTests.swift:3: error: dev/Test/Idle: rule has neither a schedule nor an event pattern
              hint: pass schedule: "rate(1 day)" or eventPattern: ["source": ["aws.s3"]]
            ConstructsTests/RuleErrorTests.swift:3: error: dev/Test/Idle: rule has no targets
              hint: add one with addTarget(.function(...)), .queue, .stateMachine or .topic
            """)
    }

    @Test func emptyOrNonObjectEventPattern() {
        #expect(Self.errors { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"))
            Rule(in: stack, "Empty", eventPattern: [:], line: 4).addTarget(.function(function))
            Rule(in: stack, "Listed", eventPattern: ["aws.s3"], line: 5).addTarget(.function(function))
        } == """
            ConstructsTests/RuleErrorTests.swift:4: error: dev/Test/Empty: event pattern is empty, which EventBridge refuses
              hint: match on fields of the event, e.g. ["source": ["aws.s3"]]
            ConstructsTests/RuleErrorTests.swift:5: error: dev/Test/Listed: event pattern must be a JSON object
              hint: e.g. ["source": ["aws.s3"], "detail-type": ["Object Created"]]
            """)
    }

    @Test func aTargetTwiceAndASixthTarget() {
        #expect(Self.errors { app in
            let stack = Stack(in: app, "Test")
            let rule = Rule(in: stack, "Nightly", schedule: "rate(1 day)")
            let functions = (1...6).map { Function(in: stack, "Fn\($0)", handler: "index.handler", code: .inline("x")) }
            rule.addTarget(.function(functions[0]), line: 10)
            rule.addTarget(.function(functions[0]), line: 11)
            for function in functions.dropFirst() { rule.addTarget(.function(function), line: 12) }
        } == """
            ConstructsTests/RuleErrorTests.swift:11: error: dev/Test/Nightly: dev/Test/Fn1 is already a target of this rule (first at ConstructsTests/RuleErrorTests.swift:10)
              hint: add each target once; a rule delivers every event to each of its targets
            ConstructsTests/RuleErrorTests.swift:12: error: dev/Test/Nightly: a rule has at most 5 targets; dev/Test/Fn6 would be the 6th
              hint: make another rule with the same schedule or pattern for the other targets
            """)
    }

    @Test func inputMustBeJSON() {
        #expect(Self.errors { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"))
            Rule(in: stack, "Nightly", schedule: "rate(1 day)").addTarget(.function(function), input: "{mode: nightly}", line: 20)
        } == """
            ConstructsTests/RuleErrorTests.swift:20: error: dev/Test/Nightly: the input for dev/Test/Fn is not valid JSON: expected a member name in double quotes, found 'm' (line 1, column 2)
              hint: pass the JSON text of the constant input, e.g. #"{"mode": "nightly"}"#
            """)
    }

    @Test func queueOrTopicInAnotherStack() {
        #expect(Self.errors { app in
            let work = Stack(in: app, "Work")
            let queue = Queue(in: work, "Jobs")
            let topic = Topic(in: work, "Alerts")
            let rule = Rule(in: Stack(in: app, "Schedules"), "Nightly", schedule: "rate(1 day)")
            rule.addTarget(.queue(queue), line: 40)
            rule.addTarget(.topic(topic), line: 41)
        } == """
            ConstructsTests/RuleErrorTests.swift:40: error: dev/Schedules/Nightly: target dev/Work/Jobs is in stack dev-Work, the rule in dev-Schedules; a queue or topic target must be in the rule's stack
              hint: create the rule in dev-Work, beside the queue (its policy names the rule)
            ConstructsTests/RuleErrorTests.swift:41: error: dev/Schedules/Nightly: target dev/Work/Alerts is in stack dev-Work, the rule in dev-Schedules; a queue or topic target must be in the rule's stack
              hint: create the rule in dev-Work, beside the topic (its policy names the rule)
            """)
    }

    @Test func targetInAnotherAccountOrRegion() {
        #expect(Self.errors { app in
            let function = Function(in: Stack(in: app, "Edge", region: "us-east-1"), "Fn", handler: "index.handler", code: .inline("x"))
            Rule(in: Stack(in: app, "Schedules"), "Nightly", schedule: "rate(1 day)").addTarget(.function(function), line: 50)
        } == """
            ConstructsTests/RuleErrorTests.swift:50: error: dev/Schedules/Nightly: target dev/Edge/Fn is in dev-Edge (dev (800000000001), us-east-1), not in the rule's account and region (dev-Schedules, dev (800000000001), eu-west-1)
              hint: create the rule in the target's account and region; EventBridge reaches other accounts only through event buses
            """)
    }
}
