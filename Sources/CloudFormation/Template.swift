/// A CloudFormation template. Sections render in CloudFormation's usual order:
/// AWSTemplateFormatVersion, Description, Parameters, Conditions, Resources, Outputs.
public struct Template: Equatable {
    public var description: String?
    public var parameters: [(name: String, parameter: Parameter)] = []
    public var conditions: [(name: String, condition: Value)] = []
    public var resources: [(logicalId: String, resource: Resource)] = []
    public var outputs: [(name: String, output: Output)] = []

    public init(description: String? = nil) {
        self.description = description
    }

    public static func == (lhs: Template, rhs: Template) -> Bool {
        lhs.description == rhs.description
            && lhs.parameters.map(\.name) == rhs.parameters.map(\.name)
            && lhs.parameters.map(\.parameter) == rhs.parameters.map(\.parameter)
            && lhs.conditions.map(\.name) == rhs.conditions.map(\.name)
            && lhs.conditions.map(\.condition) == rhs.conditions.map(\.condition)
            && lhs.resources.map(\.logicalId) == rhs.resources.map(\.logicalId)
            && lhs.resources.map(\.resource) == rhs.resources.map(\.resource)
            && lhs.outputs.map(\.name) == rhs.outputs.map(\.name)
            && lhs.outputs.map(\.output) == rhs.outputs.map(\.output)
    }

    /// The resource with this logical id, if any.
    public func resource(_ logicalId: String) -> Resource? {
        resources.first { $0.logicalId == logicalId }?.resource
    }
}

public struct Parameter: Equatable {
    public enum Kind: String, Equatable {
        case string = "String"
        case number = "Number"
        case commaDelimitedList = "CommaDelimitedList"
    }

    public var type: Kind
    public var description: String?
    public var defaultValue: Value?
    public var allowedValues: [Value]?
    public var allowedPattern: String?
    public var noEcho: Bool

    public init(
        type: Kind, description: String? = nil, defaultValue: Value? = nil,
        allowedValues: [Value]? = nil, allowedPattern: String? = nil, noEcho: Bool = false
    ) {
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.allowedPattern = allowedPattern
        self.noEcho = noEcho
    }
}

public enum DeletionPolicy: String, Equatable, Sendable {
    case delete = "Delete"
    case retain = "Retain"
    case snapshot = "Snapshot"
    case retainExceptOnCreate = "RetainExceptOnCreate"
}

public struct Resource: Equatable {
    public var type: String
    public var condition: String?
    public var dependsOn: [String]
    public var properties: Object
    public var metadata: Object?
    public var deletionPolicy: DeletionPolicy?
    public var updateReplacePolicy: DeletionPolicy?

    public init(
        type: String, properties: Object = Object(), dependsOn: [String] = [], condition: String? = nil,
        metadata: Object? = nil, deletionPolicy: DeletionPolicy? = nil, updateReplacePolicy: DeletionPolicy? = nil
    ) {
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.metadata = metadata
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
    }
}

public struct Output: Equatable {
    public var description: String?
    public var value: Value
    public var condition: String?

    public init(value: Value, description: String? = nil, condition: String? = nil) {
        self.value = value
        self.description = description
        self.condition = condition
    }
}
