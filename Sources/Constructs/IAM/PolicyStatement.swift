import CloudFormation
import Synthesis

/// One statement of an IAM policy document.
public struct PolicyStatement {
    public enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }

    public var effect: Effect
    public var actions: [String]
    public var resources: [Value]
    /// A condition block, e.g. `["StringEquals": ["aws:SourceAccount": .accountId]]`.
    public var condition: Object?
    /// For trust and resource policies: `["Service": "lambda.amazonaws.com"]`.
    public var principal: Value?

    public init(effect: Effect = .allow, actions: [String], resources: [Value] = [], principal: Value? = nil, condition: Object? = nil) {
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.principal = principal
        self.condition = condition
    }

    public var value: Value {
        var object = Object()
        object["Effect"] = .string(effect.rawValue)
        if let principal { object["Principal"] = principal }
        object["Action"] = actions.count == 1 ? .string(actions[0]) : .list(actions.map(Value.string))
        if !resources.isEmpty { object["Resource"] = resources.count == 1 ? resources[0] : .list(resources) }
        if let condition { object["Condition"] = .object(condition) }
        return .object(object)
    }

    /// A policy document with these statements.
    public static func document(_ statements: [PolicyStatement]) -> Value {
        .object(["Version": "2012-10-17", "Statement": .list(statements.map(\.value))])
    }
}
