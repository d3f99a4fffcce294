import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport

/// Small stacks that use layers, asynchronous destinations, rules and state machines; the YAML
/// tests compare them with expected text, and `EventDrivenLintTests` runs cfn-lint over them.
enum EventDrivenScenarios {
    /// A nightly schedule that starts a state machine (with a constant input) and invokes a function.
    static func schedule() throws -> SynthesizedApp {
        try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "t")
            let sweep = Function(in: stack, "Sweep", handler: "index.handler", code: .inline("def handler(e, c): pass\n"), tracing: false, reservedConcurrency: 1)
            let machine = StateMachine(in: stack, "Cleanup", definition: .string(#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#))
            let nightly = Rule(in: stack, "Nightly", schedule: "cron(0 3 * * ? *)", description: "Nightly cleanup")
            nightly.addTarget(.stateMachine(machine), input: #"{"mode": "nightly"}"#)
            nightly.addTarget(.function(sweep))
        }
    }

    /// Two pattern rules that send to a queue with its own key, one of them also to a topic.
    static func patterns() throws -> SynthesizedApp {
        try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "t")
            let key = KmsKey(in: stack, "WorkKey", alias: "alias/dev-work")
            let work = Queue(in: stack, "Work", maxReceiveCount: nil, encryptionKey: key)
            let alerts = Topic(in: stack, "Alerts")
            let created = Rule(in: stack, "Created", eventPattern: ["source": ["aws.s3"], "detail-type": ["Object Created"]])
            created.addTarget(.queue(work))
            created.addTarget(.topic(alerts))
            Rule(in: stack, "Deleted", eventPattern: ["source": ["aws.s3"], "detail-type": ["Object Deleted"]], enabled: false).addTarget(.queue(work))
        }
    }

    /// An express machine logging everything to a given log group, untraced, and a standard one
    /// without logs; a function may start both.
    static func machines() throws -> SynthesizedApp {
        try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "t")
            let logs = LogGroup(in: stack, "MachineLogs", retentionDays: 7)
            let machine = StateMachine(
                in: stack, "Express", definition: .string(#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#),
                type: .express, logGroup: logs, logLevel: .all, includeExecutionData: true, tracing: false, stateMachineName: "dev-express")
            let quiet = StateMachine(in: stack, "Quiet", definition: .string(#"{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}"#), logLevel: .off)
            let starter = Function(in: stack, "Starter", handler: "index.handler", code: .inline("x"), tracing: false)
            machine.grantStartExecution(to: starter)
            quiet.grantStartExecution(to: starter)
        }
    }

    /// Failed asynchronous invocations to a topic and to a function; environment variables under a given key.
    static func destinations() throws -> SynthesizedApp {
        try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test", description: "t")
            let key = KmsKey(in: stack, "Settings", alias: "alias/dev-settings")
            let alerts = Topic(in: stack, "Alerts")
            let handler = Function(in: stack, "OnError", handler: "index.handler", code: .inline("x"), tracing: false)
            Function(in: stack, "Publisher", handler: "index.handler", code: .inline("x"), environment: ["MODE": "x"], tracing: false,
                     onFailure: .topic(alerts), customerManagedKey: false, environmentKey: key)
            Function(in: stack, "Chained", handler: "index.handler", code: .inline("x"), tracing: false, onFailure: .function(handler))
        }
    }

    /// A function target with its own retry policy and a dead-letter queue for undelivered events.
    static func delivery() throws -> SynthesizedApp {
        try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"), tracing: false)
            let undelivered = Queue(in: stack, "Undelivered", maxReceiveCount: nil)
            Rule(in: stack, "Nightly", schedule: "rate(1 day)")
                .addTarget(.function(function), deadLetterQueue: undelivered, maximumRetryAttempts: 3, maximumEventAge: 3600)
        }
    }

    /// A repository with a layer folder, a function folder and a state machine definition file.
    static func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("layers/shared/python/shared.py", "X = 1\n")
        try directory.write("fn/app.py", "def handler(e, c): pass\n")
        try directory.write("machines/cleanup.asl.json", "{\n  \"StartAt\": \"Sweep\",\n  \"States\": {\n    \"Sweep\": {\"Type\": \"Task\", \"Resource\": \"${SweepArn}\", \"End\": true}\n  }\n}\n")
        return directory
    }

    /// A layer used by a function whose failed asynchronous invocations go to a queue, with fewer retries.
    static func layer(in directory: TemporaryDirectory) throws -> (SynthesizedApp, LayerVersion, Function) {
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url)
        let stack = Stack(in: app, "Test", description: "t")
        let layer = LayerVersion(in: stack, "Shared", code: "layers/shared", compatibleRuntimes: [.python313, .python312], description: "Shared helpers", license: "MIT")
        let failures = Queue(in: stack, "Failures", maxReceiveCount: nil)
        let function = Function(
            in: stack, "Resize", handler: "app.handler", code: .folder("fn"), tracing: false, reservedConcurrency: 5, layers: [layer],
            onFailure: .queue(failures), maximumRetryAttempts: 1, maximumEventAge: 3600)
        return (try Synthesizer.synthesize(app), layer, function)
    }

    /// A state machine whose definition is a file, calling a function it may invoke.
    static func definitionFile(in directory: TemporaryDirectory) throws -> SynthesizedApp {
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url)
        let stack = Stack(in: app, "Test", description: "t")
        let sweep = Function(in: stack, "Sweep", handler: "index.handler", code: .inline("def handler(e, c): pass\n"), tracing: false)
        let machine = StateMachine(in: stack, "Cleanup", definition: .file("machines/cleanup.asl.json"), substitutions: ["SweepArn": sweep.arn])
        sweep.grantInvoke(to: machine)
        return try Synthesizer.synthesize(app)
    }
}
