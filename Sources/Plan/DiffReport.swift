import Foundation

/// Renders diffs for people (text with colours on a terminal, or Markdown for a pull request)
/// or as JSON. Text and Markdown carry the same content.
public struct DiffReport {
    public let diffs: [EnvironmentDiff]
    public let colour: Bool

    public init(_ diffs: [EnvironmentDiff], colour: Bool) {
        self.diffs = diffs
        self.colour = colour
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func red(_ text: String) -> String { paint(text, "31") }
    private func green(_ text: String) -> String { paint(text, "32") }
    private func yellow(_ text: String) -> String { paint(text, "33") }
    private func bold(_ text: String) -> String { paint(text, "1") }

    /// Headline counts over every environment.
    public struct Counts: Equatable, Sendable {
        public var stacksChanged = 0
        public var resourcesReplaced = 0
        public var resourcesDeleted = 0
        public var dataAtRisk = 0
        public var securityLines = 0
        public var updateWarnings = 0
    }

    public static func counts(_ diffs: [EnvironmentDiff]) -> Counts {
        var counts = Counts()
        for diff in diffs {
            counts.stacksChanged += diff.stacks.count
            for stack in diff.stacks {
                counts.resourcesReplaced += stack.resources.filter(\.action.isReplacement).count
                counts.resourcesDeleted += stack.resources.filter { $0.action == .remove }.count
                counts.dataAtRisk += stack.resources.filter(\.possibleDataLoss).count
                counts.securityLines += stack.security.count
                counts.updateWarnings += stack.warnings.count
            }
        }
        return counts
    }

    static func symbol(_ action: ChangeAction) -> String {
        switch action {
        case .add: "[+]"
        case .update: "[~]"
        case .mayReplace: "[~/+]"
        case .replace: "[-/+]"
        case .remove: "[-]"
        }
    }

    static func marker(_ change: PropertyChange) -> String {
        switch change.impact {
        case .replace: " (replaces)"
        case .mayReplace: " (may replace)"
        case .none: ""
        }
    }

    static func value(_ change: PropertyChange) -> String {
        if let cause = change.cause, change.old == nil, change.new == nil { return "changes: \(cause)" }
        return "\(change.old ?? "(none)") -> \(change.new ?? "(none)")"
    }

    public static func warningKind(_ kind: UpdateWarning.Kind) -> String {
        kind == .refused ? "will be refused" : "loses data quietly"
    }

    public func text() -> String {
        var lines: [String] = []
        for diff in diffs {
            if diff.isEmpty {
                lines.append("\(bold(diff.environment)): no changes")
                continue
            }
            lines.append(bold("\(diff.environment): \(diff.stacks.count) stack\(diff.stacks.count == 1 ? "" : "s") changed"))
            for stack in diff.stacks {
                lines.append("")
                lines.append(bold("Stack \(stack.stack)") + " (\(stack.status.rawValue))")
                if !stack.resources.isEmpty { lines.append("  Resources") }
                for resource in stack.resources {
                    lines.append("  " + describe(resource))
                    for cause in resource.replacedBecause {
                        lines.append("      " + red(cause.description))
                    }
                    for change in resource.changes {
                        lines.append("      \(change.path): \(Self.value(change))\(red(Self.marker(change)))")
                    }
                }
                for (title, changes) in [("Parameters", stack.parameters), ("Outputs", stack.outputs)] where !changes.isEmpty {
                    lines.append("  \(title)")
                    for change in changes {
                        if change.old == nil && change.new == nil, let cause = change.cause {
                            lines.append("  \(yellow("[~]")) \(change.path): \(cause)")
                            continue
                        }
                        let symbol = change.old == nil ? green("[+]") : change.new == nil ? red("[-]") : yellow("[~]")
                        lines.append("  \(symbol) \(change.path)\(change.old != nil && change.new != nil ? ": \(change.old!) -> \(change.new!)" : "")")
                    }
                }
                if !stack.security.isEmpty {
                    lines.append("  Security changes")
                    for change in stack.security {
                        lines.append("  " + (change.direction == .added ? green("[+]") : red("[-]")) + " \(change.fact)")
                    }
                }
                if !stack.warnings.isEmpty {
                    lines.append("  Update warnings")
                    for warning in stack.warnings {
                        lines.append("  " + red("[!]") + " \(warning.type) \(warning.logicalId) \(Self.warningKind(warning.kind)): \(warning.message)")
                    }
                }
            }
            if !diff.planSteps.isEmpty {
                lines.append("")
                lines.append(bold("Plan steps"))
                for step in diff.planSteps {
                    let symbol = step.old == nil ? green("[+]") : step.new == nil ? red("[-]") : yellow("[~]")
                    lines.append("  \(symbol) \(step.path): \(step.new ?? step.old ?? "")")
                }
            }
            let destructive = diff.destructiveChanges
            if !destructive.isEmpty {
                lines.append("")
                lines.append(red(bold("Possible data loss")))
                for (stack, change) in destructive {
                    lines.append(red("  \(diff.environment)/\(stack)/\(change.logicalId): \(change.type) \(change.dataLoss ?? "")"))
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private func describe(_ resource: ResourceChange) -> String {
        let symbol: String
        switch resource.action {
        case .add: symbol = green(Self.symbol(.add))
        case .update: symbol = yellow(Self.symbol(.update))
        case .mayReplace, .replace, .remove: symbol = red(Self.symbol(resource.action))
        }
        var text = "\(symbol) \(resource.type) \(resource.logicalId)"
        switch resource.action {
        case .replace: text += red(" replacement")
        case .mayReplace: text += red(" may be replaced")
        case .remove: text += red(" deletion")
        default: break
        }
        if resource.possibleDataLoss { text += red(bold(" (stateful: possible data loss)")) }
        if let renamed = resource.renamedTo { text += " (renamed to \(renamed)? a new logical id is a new resource)" }
        return text
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(diffs), as: UTF8.self) + "\n"
    }

    /// For a pull request or a job summary: headline counts, then per stack the data at risk,
    /// update warnings and security lines first, then tables of resources, parameters, outputs.
    public func markdown() -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        func code(_ text: String) -> String { "`" + cell(text).replacingOccurrences(of: "`", with: "'") + "`" }
        var lines: [String] = ["## Stratus diff", ""]
        let total = Self.counts(diffs)
        lines += Markdown.table(
            ["Environment", "Stacks changed", "Resources replaced", "Resources deleted", "Data at risk", "Security lines", "Update warnings"],
            diffs.map { diff in
                let c = Self.counts([diff])
                return [diff.environment, "\(c.stacksChanged)", "\(c.resourcesReplaced)", "\(c.resourcesDeleted)", "\(c.dataAtRisk)", "\(c.securityLines)", "\(c.updateWarnings)"]
            } + (diffs.count > 1 ? [["**all**", "\(total.stacksChanged)", "\(total.resourcesReplaced)", "\(total.resourcesDeleted)", "\(total.dataAtRisk)", "\(total.securityLines)", "\(total.updateWarnings)"]] : []))
        lines.append("")
        for diff in diffs {
            lines.append("### \(diff.environment)")
            lines.append("")
            if diff.isEmpty {
                lines.append("No changes.")
                lines.append("")
                continue
            }
            if diff.stacks.isEmpty {
                lines.append("No template changes; files that differ: \(diff.files.map(code).joined(separator: ", ")).")
                lines.append("")
            }
            for stack in diff.stacks {
                lines.append("#### \(stack.stack) (\(stack.status.rawValue))")
                lines.append("")
                let atRisk = stack.resources.filter(\.possibleDataLoss)
                if !atRisk.isEmpty {
                    lines.append("**Possible data loss**")
                    lines.append("")
                    lines += Markdown.table(["Resource", "Type", "What happens"], atRisk.map { [code($0.logicalId), $0.type, cell($0.dataLoss ?? "")] })
                    lines.append("")
                }
                if !stack.warnings.isEmpty {
                    lines.append("**Update warnings**")
                    lines.append("")
                    lines += Markdown.table(["Resource", "Type", "Kind", "Why"], stack.warnings.map { [code($0.logicalId), $0.type, Self.warningKind($0.kind), cell($0.message)] })
                    lines.append("")
                }
                if !stack.security.isEmpty {
                    lines.append("**Security changes**")
                    lines.append("")
                    lines += Markdown.table(["", "Statement or setting"], stack.security.map { [$0.direction.rawValue, code($0.fact)] })
                    lines.append("")
                }
                if !stack.resources.isEmpty {
                    lines.append("**Resources**")
                    lines.append("")
                    lines += Markdown.table(["Action", "Resource", "Type", "Changes"], stack.resources.map { resource in
                        var details = resource.replacedBecause.map { cell($0.description) }
                        details += resource.changes.map { "\(code($0.path)): \(cell(Self.value($0)))\(Self.marker($0))" }
                        if let renamed = resource.renamedTo { details.append("renamed to \(code(renamed))? a new logical id is a new resource") }
                        let action = resource.action == .mayReplace ? "may replace" : resource.action.rawValue
                        return [action, code(resource.logicalId), resource.type, details.isEmpty ? "—" : details.joined(separator: "<br>")]
                    })
                    lines.append("")
                }
                for (title, changes) in [("Parameters", stack.parameters), ("Outputs", stack.outputs)] where !changes.isEmpty {
                    lines.append("**\(title)**")
                    lines.append("")
                    lines += Markdown.table(["Name", "Before", "After"], changes.map { change in
                        if change.old == nil && change.new == nil, let cause = change.cause { return [code(change.path), "—", cell(cause)] }
                        return [code(change.path), change.old.map(code) ?? "(none)", change.new.map(code) ?? "(none)"]
                    })
                    lines.append("")
                }
            }
            if !diff.planSteps.isEmpty {
                lines.append("**Plan steps**")
                lines.append("")
                lines += Markdown.table(["Step", "Before", "After"], diff.planSteps.map { [code($0.path), cell($0.old ?? "(none)"), cell($0.new ?? "(removed)")] })
                lines.append("")
            }
        }
        return lines.joined(separator: "\n")
    }
}
