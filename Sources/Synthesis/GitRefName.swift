import Foundation

/// The rules of `git check-ref-format` for a branch name (as `refs/heads/<branch>`).
public enum GitRefName {
    /// Why `branch` is not a valid branch name, if it is not.
    public static func problem(with branch: String) -> String? {
        if branch.isEmpty { return "is empty" }
        if branch == "@" { return "cannot be '@'" }
        for scalar in branch.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f { return "contains a control character (U+\(String(format: "%04X", scalar.value)))" }
            if " ~^:?*[\\".unicodeScalars.contains(scalar) { return "contains '\(scalar)'" }
        }
        if branch.hasPrefix("/") || branch.hasSuffix("/") { return "begins or ends with '/'" }
        if branch.contains("//") { return "contains '//'" }
        if branch.contains("..") { return "contains '..'" }
        if branch.contains("@{") { return "contains '@{'" }
        if branch.hasSuffix(".") { return "ends with '.'" }
        if branch.hasPrefix("-") { return "begins with '-'" }
        for component in branch.split(separator: "/") {
            if component.hasPrefix(".") { return "has a part beginning with '.'" }
            if component.hasSuffix(".lock") { return "has a part ending in '.lock'" }
        }
        return nil
    }
}
