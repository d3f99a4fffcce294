/// Where a diagnostic points: a file (relative to the repository root), a line and a column.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let line, line > 0, let column { text += ":\(column)" }
        return text
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }
}

/// One problem found in the input, printed the way a compiler prints errors (or warnings):
///
///     Environments/dev.yaml:4:10: error: account id '12345' must be 12 digits
///       hint: copy it from the account menu, e.g. 123456789012
///
/// Every message is built by a named factory (see `Diagnostic+Messages.swift` in each module)
/// so that its wording is tested in one place.
public struct Diagnostic: Error, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// An error stops synthesis; a warning is printed and synthesis goes on.
    public enum Severity: String, Hashable, Sendable {
        case error, warning
    }

    public var location: SourceLocation?
    public var message: String
    public var hint: String?
    public var severity: Severity

    public init(_ message: String, at location: SourceLocation? = nil, hint: String? = nil, severity: Severity = .error) {
        self.message = message
        self.location = location
        self.hint = hint
        self.severity = severity
    }

    /// True for a warning, which does not stop synthesis.
    public var isWarning: Bool { severity == .warning }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case let (a?, b?) where a != b: return a < b
        case (nil, _?): return false
        case (_?, nil): return true
        default: return lhs.message < rhs.message
        }
    }
}

/// One or more diagnostics that stop synthesis. Printed sorted, one after the other.
public struct DiagnosticError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = Array(Set(diagnostics)).sorted()
    }

    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
