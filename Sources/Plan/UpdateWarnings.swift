import CloudFormationResources

/// Updates CloudFormation (or the service behind it) refuses, and updates that succeed but
/// delete something. Each rule cites the documentation it follows.
enum UpdateWarnings {
    static func warnings(for change: ResourceChange, old: Document?, new: Document?) -> [UpdateWarning] {
        guard let old, let new, change.action != .add, change.action != .remove else { return [] }
        let before = old["Properties"]
        let after = new["Properties"]
        var warnings: [UpdateWarning] = []
        func warn(_ kind: UpdateWarning.Kind, _ message: String) {
            warnings.append(UpdateWarning(logicalId: change.logicalId, type: change.type, kind: kind, message: message))
        }

        switch change.type {
        case "AWS::KMS::Key":
            // aws-resource-kms-key.html: changing KeySpec or KeyUsage of an existing key fails the
            // update, whatever the UpdateReplacePolicy, so that no key is deleted by accident.
            for (property, fallback) in [("KeySpec", "SYMMETRIC_DEFAULT"), ("KeyUsage", "ENCRYPT_DECRYPT")] {
                let a = before?[property]?.description ?? fallback
                let b = after?[property]?.description ?? fallback
                if a != b { warn(.refused, "\(property) \(a) -> \(b): CloudFormation refuses to change it on an existing key; create a new key instead") }
            }
        case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
            // aws-resource-dynamodb-table.html: one global secondary index can be created or deleted
            // per update, and an existing index's key schema cannot be changed.
            let a = indexes(before?["GlobalSecondaryIndexes"])
            let b = indexes(after?["GlobalSecondaryIndexes"])
            for (name, index) in b.sorted(by: { $0.key < $1.key }) {
                if let previous = a[name], previous["KeySchema"] != index["KeySchema"] {
                    warn(.refused, "global secondary index \(name) changes its keys: DynamoDB cannot change an existing index's keys; add an index with a new name, then remove the old one in a later deploy")
                }
            }
            let added = Set(b.keys).subtracting(a.keys).sorted()
            let removed = Set(a.keys).subtracting(b.keys).sorted()
            if added.count + removed.count > 1 {
                let parts = (added.isEmpty ? [] : ["adds \(added.joined(separator: ", "))"]) + (removed.isEmpty ? [] : ["removes \(removed.joined(separator: ", "))"])
                warn(.refused, "the update \(parts.joined(separator: " and ")): DynamoDB creates or deletes one global secondary index per update; deploy one index change at a time")
            }
        case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
            // aws-properties-rds-database-instance.html: AllocatedStorage can only grow.
            if let a = number(before?["AllocatedStorage"]), let b = number(after?["AllocatedStorage"]), b < a {
                warn(.refused, "AllocatedStorage \(a) -> \(b) GiB: RDS storage cannot shrink; the update fails")
            }
        case "AWS::Cognito::UserPool":
            // aws-resource-cognito-userpool.html: UsernameAttributes and AliasAttributes are fixed
            // when the pool is created (UpdateUserPool does not take them).
            for property in ["UsernameAttributes", "AliasAttributes"] where before?[property] != after?[property] {
                warn(.refused, "\(property) \(before?[property]?.description ?? "(none)") -> \(after?[property]?.description ?? "(none)"): a user pool's sign-in attributes are fixed at creation; the update fails (a new pool would start without users)")
            }
        case "AWS::Logs::LogGroup":
            // aws-resource-logs-loggroup.html: events older than the retention are deleted.
            let a = number(before?["RetentionInDays"])
            let b = number(after?["RetentionInDays"])
            if let b, a.map({ b < $0 }) ?? true {
                warn(.quietLoss, "RetentionInDays \(a.map(String.init) ?? "never expire") -> \(b): events older than \(b) days are deleted")
            }
        default:
            break
        }

        // using-cfn-updating-stacks-update-behaviors.html: CloudFormation creates the replacement
        // before it deletes the old resource, so a custom name that stays the same is taken.
        if change.action.isReplacement, let property = ResourceSchemas.physicalNameProperty(of: change.type),
           let name = after?[property], before?[property] == name {
            let may = change.action == .mayReplace ? "if CloudFormation replaces it, " : ""
            warn(.refused, "\(may)\(property) \(name) is fixed: the replacement cannot be created while the old resource holds the name; change the name or remove it")
        }
        return warnings
    }

    private static func indexes(_ list: Document?) -> [String: Document] {
        var result: [String: Document] = [:]
        for item in list?.items ?? [] {
            if let name = item["IndexName"]?.text { result[name] = item }
        }
        return result
    }

    private static func number(_ value: Document?) -> Int? { value?.text.flatMap { Int($0) } }
}
