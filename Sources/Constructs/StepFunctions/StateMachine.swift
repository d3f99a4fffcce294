import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// Where a state machine's definition (Amazon States Language, JSON) comes from.
public enum StateMachineDefinition: Sendable {
    /// A file of the repository, relative to its root (`Stacks/StateMachines/cleanup.asl.json`);
    /// its text goes into the template as it is.
    case file(String)
    /// The definition itself.
    case string(String)
}

/// Standard (up to a year, exactly once, execution history kept by Step Functions) or express
/// (up to five minutes, at least once, history only in the logs).
public enum StateMachineType: String, Sendable {
    case standard = "STANDARD"
    case express = "EXPRESS"
}

/// Which execution events a state machine logs.
public enum StateMachineLogLevel: String, Sendable {
    case all = "ALL"
    case error = "ERROR"
    case fatal = "FATAL"
    /// No logging, and no log group.
    case off = "OFF"
}

/// A Step Functions state machine with its own role, logging and X-Ray tracing.
///
/// Emits `AWS::StepFunctions::StateMachine`, an `AWS::IAM::Role` Step Functions assumes (it starts
/// with only what logging and tracing need; `function.grantInvoke(to: machine)`,
/// `table.grantReadWrite(to: machine)` and other grants add to it) and, unless a log group is
/// given, an `AWS::Logs::LogGroup` named `/aws/vendedlogs/states/...` (the prefix AWS advises for
/// logs services deliver, and retained on delete). The definition is checked at synth: valid JSON,
/// a `StartAt` that names a state, each state's `Next` a state, and every `${Name}` placeholder
/// given in `substitutions`. Not stateful (a standard machine's running executions stop when it is
/// deleted).
///
///     let cleanup = StateMachine(in: stack, "Cleanup", definition: .file("Stacks/StateMachines/cleanup.asl.json"),
///                                substitutions: ["SweepArn": sweep.arn])
///     sweep.grantInvoke(to: cleanup)
///     Rule(in: stack, "Nightly", schedule: "cron(0 3 * * ? *)").addTarget(.stateMachine(cleanup))
public final class StateMachine: Construct, Grantable {
    public let definition: StateMachineDefinition
    public let type: StateMachineType
    /// The `AWS::StepFunctions::StateMachine` this construct creates, typed.
    public private(set) var resource: StepFunctions.StateMachine!
    public private(set) var role: Role!
    /// Where executions are logged; none when `logLevel` is `.off`.
    public private(set) var logGroup: LogGroup?

    /// - Parameters:
    ///   - definition: A file of the repository (`.file(...)`) or the definition text (`.string(...)`).
    ///   - substitutions: Values for the definition's `${Name}` placeholders (function and table
    ///     ARNs, queue URLs); they may be references. None by default.
    ///   - type: A standard state machine by default.
    ///   - logGroup: Where executions are logged: a log group of its own (30 days, retained) by default.
    ///   - logLevel: Which events are logged: errors (failed executions, states and task failures)
    ///     by default; `.off` for no logs at all.
    ///   - includeExecutionData: Whether the logs hold each state's input and output, which may
    ///     carry personal data: off by default.
    ///   - tracing: X-Ray tracing of executions, on by default.
    ///   - stateMachineName: A fixed name; CloudFormation generates one by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, definition: StateMachineDefinition, substitutions: KeyValuePairs<String, Value> = [:],
        type: StateMachineType = .standard, logGroup: LogGroup? = nil, logLevel: StateMachineLogLevel = .error,
        includeExecutionData: Bool = false, tracing: Bool = true, stateMachineName: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.definition = definition
        self.type = type
        super.init(in: scope, id, file: file, line: line)
        role = Role(in: self, "Role", assumedBy: "states.amazonaws.com", file: file, line: line)

        var loggingConfiguration: StepFunctions.StateMachine.LoggingConfiguration?
        if logLevel != .off {
            let below = stack.map { String(relativePath.dropFirst($0.relativePath.count + 1)) } ?? relativePath
            let logs = logGroup ?? LogGroup(
                in: self, "Logs", name: stack.map { "/aws/vendedlogs/states/\($0.stackName)-\(LogicalIds.pascalCase(below))" },
                file: file, line: line)
            self.logGroup = logs
            role.addToPolicy(PolicyStatement(actions: StepFunctionsPermissions.logDelivery, resources: ["*"]))
            loggingConfiguration = .init(
                destinations: [.init(cloudWatchLogsLogGroup: .init(logGroupArn: .value(logs.arn)))],
                includeExecutionData: Typed(includeExecutionData), level: Typed(rawString: logLevel.rawValue))
        }
        if tracing { role.addToPolicy(PolicyStatement(actions: StepFunctionsPermissions.xrayWrite, resources: ["*"])) }

        let text = definitionText(file: file, line: line)
        if let text { checkDefinition(text, substitutions: Set(substitutions.map(\.key)), file: file, line: line) }
        resource = StepFunctions.StateMachine(
            in: self, "Resource", roleArn: .value(role.arn),
            definitionString: Typed(text ?? "{}"),
            definitionSubstitutions: substitutions.isEmpty ? nil : Map(substitutions.map { ($0.key, $0.value) }),
            loggingConfiguration: loggingConfiguration,
            stateMachineName: stateMachineName.map { Typed($0) },
            stateMachineType: Typed(rawString: type.rawValue),
            tracingConfiguration: tracing ? .init(enabled: true) : nil,
            file: file, line: line)
    }

    public var grantRole: Role { role }
    public var arn: Value { resource.ref("Arn") }
    public var name: Value { resource.attribute("Name") }

    /// Allows `grantee` to start executions of the state machine (`states:StartExecution` on it).
    @discardableResult
    public func grantStartExecution(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        Grants.add(
            PolicyStatement(actions: StepFunctionsPermissions.startExecution, resources: [arn]), on: self, to: grantee, verb: "grantStartExecution",
            file: file, line: line)
    }

    /// The definition's text; nil (reported) when its file cannot be read.
    private func definitionText(file: String, line: Int) -> String? {
        switch definition {
        case .string(let text): return text
        case .file(let path):
            switch app.readRepositoryFile(path) {
            case .success(let text): return text
            case .failure(let problem):
                report(.definitionFileProblem(problem, path: path, machine: self))
                return nil
            }
        }
    }

    /// JSON, a `StartAt` naming a state, each top-level state's `Next` naming a state, and every
    /// `${Name}` placeholder given.
    private func checkDefinition(_ text: String, substitutions: Set<String>, file: String, line: Int) {
        /// A definition file's problems point into the file; a string's at the construct.
        func location(_ line: Int, _ column: Int) -> SourceLocation {
            if case .file(let path) = definition { return SourceLocation(file: path, line: line, column: column) }
            return self.location
        }
        let source: String
        if case .file(let path) = definition { source = "'\(path)'" } else { source = "string" }
        let root: JSONText.Node
        switch JSONText.parse(text) {
        case .failure(let error):
            let place = if case .string = definition { " (line \(error.line), column \(error.column) of the string)" } else { "" }
            report(Diagnostic(
                "\(path): state machine definition \(source) is not valid JSON: \(error.reason)\(place)", at: location(error.line, error.column),
                hint: "Step Functions definitions are Amazon States Language, in JSON: fix the text, or check it with the Workflow Studio of the console"))
            return
        case .success(let node): root = node
        }
        guard case .string(let startAt)? = root["StartAt"]?.value, case .object(let states)? = root["States"]?.value, !states.isEmpty else {
            report(Diagnostic(
                "\(path): state machine definition \(source) needs a \"StartAt\" string and a non-empty \"States\" object", at: location(1, 1),
                hint: "e.g. {\"StartAt\": \"Done\", \"States\": {\"Done\": {\"Type\": \"Succeed\"}}}"))
            return
        }
        let names = states.map(\.key)
        if !names.contains(startAt), let member = root["StartAt"] {
            report(Diagnostic(
                "\(path): state machine definition \(source) starts at '\(startAt)', which is not one of its states (\(names.joined(separator: ", ")))",
                at: location(member.line, member.column), hint: "make StartAt the name of the first state"))
        }
        for state in states {
            if case .string(let next)? = state.value["Next"]?.value, !names.contains(next), let member = state.value["Next"] {
                report(Diagnostic(
                    "\(path): state '\(state.key)' of definition \(source) goes to '\(next)', which is not one of its states (\(names.joined(separator: ", ")))",
                    at: location(member.line, member.column), hint: "make Next the name of a state in States, or end the state with \"End\": true"))
            }
        }
        for placeholder in Self.placeholders(in: text) where !substitutions.contains(placeholder) {
            let pseudo = placeholder.hasPrefix("AWS::") ? String(placeholder.dropFirst(5)) : nil
            report(.construct(
                self, "state machine definition \(source) uses ${\(placeholder)}, which substitutions: does not give",
                hint: pseudo.map { "CloudFormation replaces only substitutions in a definition: write the value itself (service integrations are arn:aws:states:::...), or write ${\($0)} and pass substitutions: [\"\($0)\": .\($0.prefix(1).lowercased() + $0.dropFirst())]" }
                    ?? "pass substitutions: [\"\(placeholder)\": ...] (a function's arn, a table's name), or remove the placeholder"))
        }
    }

    /// The names of `${Name}` placeholders, in order, once each. `${AWS::Region}` counts too: in a
    /// definition CloudFormation replaces only what `DefinitionSubstitutions` gives.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            let name = String(rest[..<end])
            if !name.isEmpty, !names.contains(name) { names.append(name) }
            rest = rest[rest.index(after: end)...]
        }
        return names
    }
}

/// IAM actions behind `StateMachine`'s role and `grantStartExecution(to:)`.
enum StepFunctionsPermissions {
    /// What Step Functions needs to deliver logs to CloudWatch Logs; these actions take no resource but `*`.
    static let logDelivery = [
        "logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
        "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
    ]
    /// Send X-Ray traces (these actions take no resource but `*`).
    static let xrayWrite = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"]
    static let startExecution = ["states:StartExecution"]
}

extension Diagnostic {
    static func definitionFileProblem(_ problem: RepositoryFileProblem, path: String, machine: Construct) -> Diagnostic {
        switch problem {
        case .outsideRepository:
            return .construct(
                machine, "state machine definition file '\(path)' is outside the repository",
                hint: "give a file inside the repository, relative to its root, e.g. Stacks/StateMachines/cleanup.asl.json")
        case .unreadable(.missing):
            return .construct(
                machine, "state machine definition file '\(path)' does not exist",
                hint: "give a file relative to the repository root, e.g. Stacks/StateMachines/cleanup.asl.json")
        case .unreadable(let reason):
            return .construct(machine, "cannot read the state machine definition: \(reason.statement("'\(path)'"))", hint: reason.hint)
        case .notText:
            return .construct(machine, "state machine definition file '\(path)' is not UTF-8 text", hint: "save the definition as UTF-8 JSON")
        }
    }
}
