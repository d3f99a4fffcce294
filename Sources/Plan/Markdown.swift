import CloudFormation
import Synthesis

/// Markdown pieces shared by plan.md and review.md.
enum Markdown {
    /// `| a | b |` and `|---|---|` lines, then one line per row.
    static func table(_ headers: [String], _ rows: [[String]]) -> [String] {
        ["| " + headers.joined(separator: " | ") + " |", "|" + headers.map { String(repeating: "-", count: $0.count + 2) }.joined(separator: "|") + "|"]
            + rows.map { "| " + $0.joined(separator: " | ") + " |" }
    }

    /// A heading, then the table, or `empty` when there are no rows; a blank line after each.
    static func section(_ heading: String, _ headers: [String], _ rows: [[String]], empty: String = "None.") -> [String] {
        [heading, ""] + (rows.isEmpty ? [empty] : table(headers, rows)) + [""]
    }
}

extension Markdown {
    /// The "Security decisions" table: per resource and scanner check, what was decided and why.
    /// `withEnvironment` adds a first column (review.md).
    static func securityDecisions(_ records: [SecurityDecisionRecord], heading: String, withEnvironment environments: [String]?) -> [String] {
        let justified = records.filter { $0.decision == .justified }.count
        let intro = [
            "Every check of the security scanner checkov that fails on purpose is justified in its resource's `Metadata` (`checkov: skip:`), written by the construct that made the choice; settings that cost money and are on because the environment is production are listed too. \(justified) justified, \(records.count - justified) turned on for production.",
            "",
        ]
        var headers = ["Resource", "Check", "Decision", "Reason"]
        if environments != nil { headers.insert("Environments", at: 0) }
        let rows: [[String]] = records.enumerated().map { index, record in
            var row = [
                "\(record.stack)/\(record.logicalId) (\(record.type))", record.check,
                record.decision == .justified ? "justified (skipped)" : "on (production)",
                // On bytes, not Foundation's replacingOccurrences (NSString's range(of:) on Linux):
                // that was a tenth of rendering 10,000 resources.
                record.reason.replacingBytes(of: "|", with: "\\|"),
            ]
            if let environments { row.insert(environments[index], at: 0) }
            return row
        }
        // Per check first, so a reviewer sees the shape before the rows.
        var checks: [String] = []
        var counts: [String: (justified: Int, enabled: Int)] = [:]
        for record in records {
            if counts[record.check] == nil { checks.append(record.check) }
            var count = counts[record.check] ?? (0, 0)
            if record.decision == .justified { count.justified += 1 } else { count.enabled += 1 }
            counts[record.check] = count
        }
        let summary = table(["Check", "Justified", "On for production"], checks.sorted().map { check in
            [check, String(counts[check]?.justified ?? 0), String(counts[check]?.enabled ?? 0)]
        })
        return [heading, ""] + (rows.isEmpty ? ["None."] : intro + summary + [""] + table(headers, rows)) + [""]
    }
}

extension StackSetFact {
    /// `dev (222222222222): \`TrustedAccounts=333333333333\` (cicd)`, one account per `<br>`, or
    /// `—`: account ids with the names people know them by.
    var overridesCell: String {
        func named(_ id: String) -> String { accountNames[id].map { "\($0) (\(id))" } ?? id }
        let lines = overrides.keys.sorted().map { account in
            "\(named(account)): " + (overrides[account] ?? [:]).sorted { $0.key < $1.key }.map { entry in
                let names = entry.value.split(separator: ",").compactMap { accountNames[String($0)] }
                return "`\(entry.key)=\(entry.value)`" + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))")
            }.joined(separator: ", ")
        }
        return lines.isEmpty ? "—" : lines.joined(separator: "<br>")
    }
}

extension TrustFact {
    var roleCell: String { roleName.map { "\($0) (\(role))" } ?? role }
}

extension PipelineFact {
    var sourceCell: String { "\(repository) branch `\(branch)`" }
}
