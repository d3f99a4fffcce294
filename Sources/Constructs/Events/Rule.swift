import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// What an EventBridge rule delivers its events to.
public enum RuleTarget {
    /// Invoked asynchronously; an `AWS::Lambda::Permission` lets this rule (and only it) invoke it.
    case function(Function)
    /// Sent as a message; a statement of the queue's `AWS::SQS::QueuePolicy` lets this rule send.
    /// EventBridge cannot use the AWS managed key `alias/aws/sqs`, so such a queue switches to
    /// SSE-SQS; a queue's customer managed key lets EventBridge use it.
    case queue(Queue)
    /// Started as an execution, by a role of the rule allowed `states:StartExecution` on it.
    case stateMachine(StateMachine)
    /// Published; the topic's `AWS::SNS::TopicPolicy` lets this rule publish, its key lets EventBridge encrypt.
    case topic(Topic)

    var construct: Construct {
        switch self {
        case .function(let function): function
        case .queue(let queue): queue
        case .stateMachine(let machine): machine
        case .topic(let topic): topic
        }
    }
}

/// An EventBridge rule on the account's default event bus: an event pattern, a schedule, or both,
/// and up to five targets.
///
/// Emits `AWS::Events::Rule` and, for each target, what delivering to it needs, created for it:
/// an `AWS::Lambda::Permission` for a function (limited to this rule by `SourceArn`), a statement
/// in the queue's `AWS::SQS::QueuePolicy` or the topic's `AWS::SNS::TopicPolicy` (EventBridge,
/// only on behalf of this rule), the key policy of a queue's or topic's customer managed key, and
/// one `AWS::IAM::Role` of the rule for state machines. A queue or topic target must be in the
/// rule's stack (its policy names the rule), a function or state machine in the rule's account
/// and region. Schedules run in UTC; the expression is checked as EventBridge checks it. Not stateful.
///
///     let nightly = Rule(in: stack, "Nightly", schedule: "cron(0 3 * * ? *)")
///     nightly.addTarget(.stateMachine(cleanup))
///     Rule(in: stack, "Uploads", eventPattern: ["source": ["aws.s3"], "detail-type": ["Object Created"]])
///         .addTarget(.queue(work))
public final class Rule: Construct {
    public let schedule: String?
    public let eventPattern: Value?
    /// The `AWS::Events::Rule` this construct creates, typed.
    public private(set) var resource: Events.Rule!
    /// The rule's role for targets EventBridge calls with a role (state machines), once one needs it.
    public private(set) var role: Role?
    private var targets: [(target: RuleTarget, id: String, entry: Events.Rule.Target, location: SourceLocation)] = []
    /// Whether `addTarget` was called, even for a target it refused (reported there).
    private var targetsAdded = false

    /// EventBridge's limit of targets per rule.
    public static let maximumTargets = 5

    /// - Parameters:
    ///   - schedule: `rate(value unit)` or `cron(minutes hours day-of-month month day-of-week year)`,
    ///     in UTC; none by default.
    ///   - eventPattern: The events to match, as EventBridge's JSON pattern
    ///     (`["source": ["aws.s3"]]`); none by default. Give a schedule, a pattern or both.
    ///   - description: What the rule is for; none by default.
    ///   - enabled: Whether the rule runs: on by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, schedule: String? = nil, eventPattern: Value? = nil, description: String? = nil,
        enabled: Bool = true, file: String = #fileID, line: Int = #line
    ) {
        self.schedule = schedule
        self.eventPattern = eventPattern
        super.init(in: scope, id, file: file, line: line)
        resource = Events.Rule(
            in: self, "Resource", description: description.map { Typed($0) }, eventPattern: eventPattern,
            scheduleExpression: schedule.map { Typed($0) }, state: enabled ? .enabled : .disabled, file: file, line: line)
    }

    public var arn: Value { resource.attribute("Arn") }
    public var name: Value { resource.ref("Name") }

    /// Delivers the rule's events to `target`, and creates the permission, policy statement or
    /// role that delivery needs.
    ///
    /// - Parameters:
    ///   - input: A constant JSON text sent instead of the event (for a schedule, the input of the
    ///     state machine or function); the matched event by default.
    ///   - deadLetterQueue: Where EventBridge puts events it could not deliver to the target after
    ///     its retries (the queue's policy lets this rule send; it must be in the rule's stack and
    ///     not use `alias/aws/sqs`); none by default, so such events are dropped.
    ///   - maximumRetryAttempts: Delivery retries, 0 to 185: EventBridge's 185 by default.
    ///   - maximumEventAge: Seconds EventBridge keeps retrying, 60 to 86400: 24 hours by default.
    public func addTarget(
        _ target: RuleTarget, input: String? = nil, deadLetterQueue: Queue? = nil, maximumRetryAttempts: Int? = nil,
        maximumEventAge: Int? = nil, file: String = #fileID, line: Int = #line
    ) {
        let location = SourceLocation(file: file, line: line)
        targetsAdded = true
        if let first = targets.first(where: { $0.target.construct === target.construct }) {
            report(Diagnostic(
                "\(path): \(target.construct.path) is already a target of this rule (first at \(first.location))", at: location,
                hint: "add each target once; a rule delivers every event to each of its targets"))
            return
        }
        if targets.count == Self.maximumTargets {
            report(Diagnostic(
                "\(path): a rule has at most \(Self.maximumTargets) targets; \(target.construct.path) would be the \(Self.maximumTargets + 1)th", at: location,
                hint: "make another rule with the same schedule or pattern for the other targets"))
            return
        }
        if let input, case .failure(let error) = JSONText.parse(input) {
            report(Diagnostic(
                "\(path): the input for \(target.construct.path) is not valid JSON: \(error.reason) (line \(error.line), column \(error.column))", at: location,
                hint: "pass the JSON text of the constant input, e.g. #\"{\"mode\": \"nightly\"}\"#"))
        }
        if let maximumRetryAttempts, !(0...185).contains(maximumRetryAttempts) {
            report(Diagnostic(
                "\(path): maximum retry attempts \(maximumRetryAttempts) for \(target.construct.path) is outside 0...185", at: location,
                hint: "leave it out for EventBridge's 185 retries within the event's maximum age"))
        }
        if let maximumEventAge, !(60...86400).contains(maximumEventAge) {
            report(Diagnostic(
                "\(path): maximum event age \(maximumEventAge) s for \(target.construct.path) is outside 60...86400", at: location,
                hint: "leave it out for EventBridge's 24 hours"))
        }
        guard let ruleStack = stack, let targetStack = target.construct.stack else { return }
        if ruleStack.account.id != targetStack.account.id || ruleStack.region != targetStack.region || ruleStack.isShared != targetStack.isShared {
            report(Diagnostic(
                "\(path): target \(target.construct.path) is in \(targetStack.stackName) (\(targetStack.account), \(targetStack.region)), not in the rule's account and region (\(ruleStack.stackName), \(ruleStack.account), \(ruleStack.region))",
                at: location, hint: "create the rule in the target's account and region; EventBridge reaches other accounts only through event buses"))
            return
        }

        let targetId = uniqueTargetId(for: target.construct)
        // Out-of-range values are reported above and left out, so the schema check does not repeat them.
        let retries = maximumRetryAttempts.flatMap { (0...185).contains($0) ? $0 : nil }
        let age = maximumEventAge.flatMap { (60...86400).contains($0) ? $0 : nil }
        var deadLetterConfig: Events.Rule.DeadLetterConfig?
        if let deadLetterQueue, allowSending(to: deadLetterQueue, location: location) {
            deadLetterConfig = .init(arn: .value(deadLetterQueue.arn))
        }
        var roleArn: Typed<String>?
        let targetArn: Value
        switch target {
        case .function(let function):
            targetArn = function.arn
            function.invokedAsynchronously(by: self)
            _ = Lambda.Permission(
                in: self, "\(targetId)Permission", action: "lambda:InvokeFunction", functionName: .value(function.arn),
                principal: "events.amazonaws.com", sourceArn: .value(arn), file: file, line: line)
        case .stateMachine(let machine):
            targetArn = machine.arn
            let role = self.role ?? Role(in: self, "Role", assumedBy: "events.amazonaws.com", file: file, line: line)
            self.role = role
            role.addToPolicy(PolicyStatement(actions: StepFunctionsPermissions.startExecution, resources: [machine.arn]))
            roleArn = .value(role.arn)
        case .queue(let queue):
            targetArn = queue.arn
            guard allowSending(to: queue, location: location) else { return }
        case .topic(let topic):
            targetArn = topic.arn
            guard sameStack(as: topic, location: location) else { return }
            topic.key.allow(service: "events.amazonaws.com")
            EventsResourcePolicy.topic(topic).allow(rule: self)
        }
        // Property types are values: the target entry is built whole.
        let entry = Events.Rule.Target(
            arn: .value(targetArn), id: Typed(targetId), deadLetterConfig: deadLetterConfig, input: input.map { Typed($0) },
            retryPolicy: retries != nil || age != nil
                ? .init(maximumEventAgeInSeconds: age.map { Typed($0) }, maximumRetryAttempts: retries.map { Typed($0) }) : nil,
            roleArn: roleArn)
        targets.append((target, targetId, entry, location))
        resource.targets = List(targets.map(\.entry))
    }

    /// Lets this rule send to `queue` (a target or a dead-letter queue): its policy and, with a
    /// customer managed key, the key's policy. False, reported, when the queue cannot take it.
    private func allowSending(to queue: Queue, location: SourceLocation) -> Bool {
        guard sameStack(as: queue, location: location) else { return false }
        // A queue with the AWS managed key switches to SSE-SQS when a service may send to it
        // (AWS services cannot use alias/aws/sqs); a customer managed key lets EventBridge in.
        queue.key?.allow(service: "events.amazonaws.com")
        queue.allowSend(fromService: "events.amazonaws.com", sourceArn: arn, file: location.file, line: location.line ?? 0)
        return true
    }

    /// A queue's or topic's policy names the rule, so they must share a template: a policy in
    /// the target's stack naming a rule of another stack would make each stack wait for the other.
    private func sameStack(as target: Construct, location: SourceLocation) -> Bool {
        guard let ruleStack = stack, let targetStack = target.stack, ruleStack !== targetStack else { return true }
        report(Diagnostic(
            "\(path): target \(target.path) is in stack \(targetStack.stackName), the rule in \(ruleStack.stackName); a queue or topic target must be in the rule's stack",
            at: location, hint: "create the rule in \(targetStack.stackName), beside the \(target is Queue ? "queue" : "topic") (its policy names the rule)"))
        return false
    }

    /// The target's construct id, made unique in the rule (EventBridge's ids: 1 to 64 of letters,
    /// digits, `.`, `-`, `_`).
    private func uniqueTargetId(for construct: Construct) -> String {
        let base = String(LogicalIds.pascalCase(construct.id).prefix(60))
        var candidate = base.isEmpty ? "Target" : base
        var counter = 2
        while targets.contains(where: { $0.id == candidate }) {
            candidate = "\(base)\(counter)"
            counter += 1
        }
        return candidate
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if schedule == nil && eventPattern == nil {
            problems.append(.construct(self, "rule has neither a schedule nor an event pattern", hint: "pass schedule: \"rate(1 day)\" or eventPattern: [\"source\": [\"aws.s3\"]]"))
        }
        if let schedule, let problem = ScheduleExpression.problem(schedule) {
            problems.append(.construct(self, "schedule '\(schedule)' is not one EventBridge accepts: \(problem.reason)", hint: problem.hint))
        }
        switch eventPattern {
        case nil: break
        case .object(let pattern)? where pattern.entries.isEmpty:
            problems.append(.construct(self, "event pattern is empty, which EventBridge refuses", hint: "match on fields of the event, e.g. [\"source\": [\"aws.s3\"]]"))
        case .object?, .token?: break
        default:
            problems.append(.construct(self, "event pattern must be a JSON object", hint: "e.g. [\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"]]"))
        }
        if !targetsAdded {
            problems.append(.construct(self, "rule has no targets", hint: "add one with addTarget(.function(...)), .queue, .stateMachine or .topic"))
        }
        return problems
    }
}

/// The topic policy EventBridge needs to deliver to a topic: one per topic, in its own stack,
/// allowing `events.amazonaws.com` on behalf of the rules that target it (their ARNs in
/// `aws:SourceArn`). Queues take the statement into their own policy (`Queue.allowSend`).
final class EventsResourcePolicy: Construct {
    private var rules: [Rule] = []
    private var render: (EventsResourcePolicy) -> Void = { _ in }
    private(set) var resource: CfnResource?

    static func topic(_ topic: Topic) -> EventsResourcePolicy {
        if let existing = topic.child("EventsPolicy") as? EventsResourcePolicy { return existing }
        let policy = EventsResourcePolicy(in: topic, "EventsPolicy", file: topic.location.file, line: topic.location.line ?? 0)
        let resource = SNS.TopicPolicy(in: policy, "Resource", policyDocument: PolicyStatement.document([]), topics: [.value(topic.arn)], file: topic.location.file, line: topic.location.line ?? 0)
        policy.resource = resource
        policy.render = { policy in
            resource.policyDocument = PolicyStatement.document([
                PolicyStatement(
                    actions: ["sns:Publish"], resources: [topic.arn], principal: ["Service": "events.amazonaws.com"],
                    condition: ["ArnEquals": ["aws:SourceArn": policy.sourceArns]]),
                // A topic policy replaces SNS's default one, which let CloudWatch alarms of the
                // account publish: keep that, as the topic exists for alarms.
                PolicyStatement(
                    actions: ["sns:Publish"], resources: [topic.arn], principal: ["Service": "cloudwatch.amazonaws.com"],
                    condition: ["StringEquals": ["aws:SourceAccount": .accountId]]),
            ])
        }
        return policy
    }

    private var sourceArns: Value {
        rules.count == 1 ? rules[0].arn : .list(rules.map(\.arn))
    }

    func allow(rule: Rule) {
        if !rules.contains(where: { $0 === rule }) { rules.append(rule) }
        render(self)
    }
}
