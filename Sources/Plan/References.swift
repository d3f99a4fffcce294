/// The logical ids (resources and parameters) a template value refers to: `Ref X`,
/// `Fn::GetAtt [X, ...]` and `${X}` / `${X.Attr}` inside `Fn::Sub`.
enum References {
    /// Every id referenced anywhere in `value`.
    static func ids(in value: Document?) -> Set<String> {
        var ids: Set<String> = []
        walk(value, path: []) { _, id in ids.insert(id) }
        return ids
    }

    /// Calls `body` with the property path (keys, `*` for list elements) at which each
    /// reference sits; a reference inside an intrinsic belongs to the intrinsic's position.
    static func walk(_ value: Document?, path: [String], _ body: (_ path: [String], _ id: String) -> Void) {
        guard let value else { return }
        switch value {
        case .scalar: return
        case .list(let items):
            for item in items { walk(item, path: path + ["*"], body) }
        case .map(let entries):
            if entries.count == 1, let entry = entries.first, entry.key == "Ref" || entry.key.hasPrefix("Fn::") {
                for id in intrinsicIds(entry) { body(path, id) }
                return
            }
            for entry in entries { walk(entry.value, path: path + [entry.key], body) }
        }
    }

    private static func intrinsicIds(_ entry: Document.Entry) -> Set<String> {
        switch entry.key {
        case "Ref":
            guard let id = entry.value.text, !id.hasPrefix("AWS::") else { return [] }
            return [id]
        case "Fn::GetAtt":
            if let id = entry.value.items.first?.text { return [id] }
            if let text = entry.value.text, let dot = text.firstIndex(of: ".") { return [String(text[..<dot])] }
            return []
        case "Fn::Sub":
            if let text = entry.value.text { return subIds(text, shadowed: []) }
            let items = entry.value.items
            guard let text = items.first?.text else { return [] }
            let variables = items.count > 1 ? items[1].entries : []
            var ids = subIds(text, shadowed: Set(variables.map(\.key)))
            for variable in variables { ids.formUnion(Self.ids(in: variable.value)) }
            return ids
        default:
            return Self.ids(in: entry.value)
        }
    }

    private static func subIds(_ text: String, shadowed: Set<String>) -> Set<String> {
        var ids: Set<String> = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "}") else { break }
            let name = rest[..<end]
            rest = rest[rest.index(after: end)...]
            if name.hasPrefix("!") || name.hasPrefix("AWS::") { continue }
            let id = String(name.split(separator: ".", maxSplits: 1).first ?? "")
            if !id.isEmpty && !shadowed.contains(String(name)) && !shadowed.contains(id) { ids.insert(id) }
        }
        return ids
    }
}
