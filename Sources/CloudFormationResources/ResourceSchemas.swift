/// What the CloudFormation resource schemas say about updates, for classifying changes.
public enum ResourceSchemas {
    private static let parsed: [String: [[String]]] = {
        var table: [String: [[String]]] = [:]
        for line in GeneratedResourceSchemas.createOnlyProperties.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let type = String(line[..<space])
            table[type] = line[line.index(after: space)...].split(separator: ",").map { $0.split(separator: "/").map(String.init) }
        }
        return table
    }()

    /// Properties whose change replaces a resource although the registry schema does not list
    /// them as create-only (the CloudFormation documentation says "Update requires: Replacement").
    static let documentedReplacements: [String: [[String]]] = [
        "AWS::DynamoDB::Table": [["KeySchema"], ["LocalSecondaryIndexes"]],
    ]

    /// Paths (property names, then nested keys, `*` for any list element) whose change replaces
    /// a resource of `type`.
    public static func replacementPaths(of type: String) -> [[String]] {
        (parsed[type] ?? []) + (documentedReplacements[type] ?? [])
    }

    /// True when changing the property at `path` (keys and `[n]` indexes) replaces the resource.
    public static func changeReplaces(type: String, path: [String]) -> Bool {
        replacementPaths(of: type).contains { createOnly in
            guard path.count >= createOnly.count else { return false }
            return zip(createOnly, path).allSatisfy { pattern, component in pattern == "*" || pattern == component || (pattern == "*" && component.hasPrefix("[")) }
        }
    }

    /// Resource types that hold data or identity: replacing or deleting one can lose data.
    public static let stateful: Set<String> = [
        "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster",
        "AWS::S3::Bucket", "AWS::Route53::HostedZone", "AWS::Cognito::UserPool", "AWS::KMS::Key", "AWS::Logs::LogGroup",
        "AWS::EFS::FileSystem", "AWS::SecretsManager::Secret",
    ]

    /// Every resource type the schemas know, with create-only properties.
    public static var typesWithCreateOnlyProperties: Int { parsed.count }
}
