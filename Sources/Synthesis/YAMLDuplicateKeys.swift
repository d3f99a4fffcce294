internal import CLibYAML

/// Finds the second occurrence of a key repeated in one mapping, with its position. Yams reports
/// only which keys repeat and where the first one is; the second is where the mistake usually is.
enum DuplicateKeys {
    struct Duplicate: Equatable {
        let key: String
        let line: Int
        let column: Int
        let firstLine: Int
    }

    /// The first repeated key in document order, walking libyaml's events.
    static func second(in text: String) -> Duplicate? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Duplicate? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // One frame per open collection: for a mapping, the keys seen (key -> line) and whether
            // the next node is a key.
            struct Frame {
                var isMapping: Bool
                var keys: [String: Int] = [:]
                var expectingKey = true
            }
            var stack: [Frame] = []
            /// A node ends: in a mapping, it is a key or a value in turn.
            func nodeEnded() { if !stack.isEmpty, stack[stack.count - 1].isMapping { stack[stack.count - 1].expectingKey.toggle() } }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let top = stack.last, top.isMapping, top.expectingKey {
                        let scalar = event.data.scalar
                        let key = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                        if let first = top.keys[key] { return Duplicate(key: key, line: line, column: column, firstLine: first) }
                        stack[stack.count - 1].keys[key] = line
                    }
                    nodeEnded()
                case YAML_ALIAS_EVENT:
                    nodeEnded()
                case YAML_MAPPING_START_EVENT:
                    stack.append(Frame(isMapping: true))
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(Frame(isMapping: false))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    stack.removeLast()
                    nodeEnded()
                default:
                    break
                }
            }
        }
    }
}
