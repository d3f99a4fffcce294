import Foundation
import Yams

/// A template read back from YAML, with short-form intrinsics in their long form (`!Ref X` ->
/// `{Ref: X}`, `!GetAtt A.B` -> `{Fn::GetAtt: [A, B]}`), so two templates compare by meaning and
/// not by spelling. Scalars keep their text.
public indirect enum Document: Equatable, Sendable, CustomStringConvertible {
    case scalar(String)
    case list([Document])
    case map([Entry])

    public struct Entry: Equatable, Sendable {
        public let key: String
        public let value: Document
    }

    public subscript(key: String) -> Document? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var entries: [Entry] {
        if case .map(let entries) = self { return entries }
        return []
    }

    public var items: [Document] {
        if case .list(let items) = self { return items }
        return []
    }

    public var text: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    /// One line, short-form intrinsics: `{Effect: Allow, Action: [s3:GetObject], Resource: !GetAtt Site.Arn}`.
    public var description: String {
        switch self {
        case .scalar(let text): return text.isEmpty ? "''" : text.contains("\n") ? "<\(text.split(separator: "\n").count) lines>" : text
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries):
            if entries.count == 1, let entry = entries.first {
                if entry.key == "Ref" { return "!Ref \(entry.value)" }
                if entry.key == "Fn::GetAtt", entry.value.items.count == 2 { return "!GetAtt \(entry.value.items[0]).\(entry.value.items[1])" }
                if entry.key.hasPrefix("Fn::") { return "!\(entry.key.dropFirst(4)) \(entry.value)" }
            }
            return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    /// Parses a template's YAML.
    public static func parse(_ yaml: String) throws -> Document {
        guard let node = try Yams.compose(yaml: yaml) else { return .map([]) }
        return convert(node)
    }

    private static func convert(_ node: Node) -> Document {
        let tag = node.tag.rawValue
        let plain: Document
        switch node {
        case .scalar(let scalar): plain = .scalar(scalar.string)
        case .sequence(let sequence): plain = .list(sequence.map(convert))
        case .mapping(let mapping): plain = .map(mapping.map { Entry(key: $0.key.string ?? "\($0.key)", value: convert($0.value)) })
        case .alias: plain = .scalar("")
        }
        guard tag.hasPrefix("!"), !tag.hasPrefix("!!") else { return plain }
        let name = String(tag.dropFirst())
        switch name {
        case "Ref", "Condition":
            return .map([Entry(key: name, value: plain)])
        case "GetAtt":
            if case .scalar(let text) = plain, let dot = text.firstIndex(of: ".") {
                return .map([Entry(key: "Fn::GetAtt", value: .list([.scalar(String(text[..<dot])), .scalar(String(text[text.index(after: dot)...]))]))])
            }
            return .map([Entry(key: "Fn::GetAtt", value: plain)])
        default:
            return .map([Entry(key: "Fn::\(name)", value: plain)])
        }
    }
}
