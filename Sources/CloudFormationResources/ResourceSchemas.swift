/// How a change to one property affects its resource.
public enum ReplacementImpact: String, Codable, Sendable, Comparable {
    /// Updated in place.
    case none
    /// A conditional create-only property: CloudFormation replaces the resource in some cases
    /// (which depend on other values, e.g. an RDS `DBSnapshotIdentifier` restores a new instance).
    case mayReplace = "may-replace"
    /// A create-only property: CloudFormation creates a new resource and deletes the old one.
    case replace

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Self] = [.none, .mayReplace, .replace]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}

/// What the CloudFormation resource schemas say about updates, for classifying changes.
public enum ResourceSchemas {
    private static func parse(_ text: String) -> [String: [[String]]] {
        var table: [String: [[String]]] = [:]
        for line in text.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let type = String(line[..<space])
            table[type] = line[line.index(after: space)...].split(separator: ",").map { $0.split(separator: "/").map(String.init) }
        }
        return table
    }

    private static let createOnly = parse(GeneratedResourceSchemas.createOnlyProperties)
    private static let conditional = parse(GeneratedResourceSchemas.conditionalCreateOnlyProperties)
    private static let physicalNames: [String: String] = parse(GeneratedResourceSchemas.physicalNameProperties)
        .compactMapValues { $0.first?.first }
        .merging(documentedPhysicalNames) { generated, _ in generated }

    /// Properties whose change replaces a resource although the registry schema does not list
    /// them as create-only (the CloudFormation documentation says "Update requires: Replacement").
    static let documentedReplacements: [String: [[String]]] = [
        "AWS::DynamoDB::Table": [["KeySchema"], ["LocalSecondaryIndexes"]],
    ]

    /// Names the generator cannot find from the schema's primary identifier: Secrets Manager
    /// secret names are unique per account and region ("Name ... Update requires: Replacement").
    static let documentedPhysicalNames: [String: String] = [
        "AWS::SecretsManager::Secret": "Name",
    ]

    /// Paths (property names, then nested keys, `*` for any list element) whose change replaces
    /// a resource of `type`.
    public static func replacementPaths(of type: String) -> [[String]] {
        (createOnly[type] ?? []) + (documentedReplacements[type] ?? [])
    }

    /// Paths whose change may replace a resource of `type` (conditional create-only properties
    /// that are not also documented replacements).
    public static func conditionalReplacementPaths(of type: String) -> [[String]] {
        (conditional[type] ?? []).filter { path in !replacementPaths(of: type).contains(path) }
    }

    /// What changing the property at `path` (keys, `*` or `[...]` for list elements) does to a
    /// resource of `type`.
    public static func impact(type: String, path: [String]) -> ReplacementImpact {
        if replacementPaths(of: type).contains(where: { matches($0, path) }) { return .replace }
        if conditionalReplacementPaths(of: type).contains(where: { matches($0, path) }) { return .mayReplace }
        return .none
    }

    /// True when changing the property at `path` (keys and `[n]` indexes) replaces the resource.
    public static func changeReplaces(type: String, path: [String]) -> Bool {
        impact(type: type, path: path) == .replace
    }

    private static func matches(_ pattern: [String], _ path: [String]) -> Bool {
        guard path.count >= pattern.count else { return false }
        return zip(pattern, path).allSatisfy { pattern, component in
            pattern == component || (pattern == "*" && (component == "*" || component.hasPrefix("[")))
        }
    }

    /// The property that gives a resource of `type` its physical name (`TableName`,
    /// `BucketName`, `DBInstanceIdentifier`, ...), when the type has one. A resource whose
    /// template sets it cannot be replaced while the old resource holds the name.
    public static func physicalNameProperty(of type: String) -> String? { physicalNames[type] }

    /// Every resource type the schemas know, with create-only properties.
    public static var typesWithCreateOnlyProperties: Int { createOnly.count }

    /// Resource types with conditional create-only properties.
    public static var typesWithConditionalCreateOnlyProperties: Int { conditional.count }
}
