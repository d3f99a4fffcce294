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
