internal import CLibYAML

/// A YAML document tree as Stratus emits it: every node says its tag and style, so the writer
/// never has to guess. Mapping keys keep their order.
public indirect enum YAMLNode: Equatable {
    public enum ScalarStyle: Equatable, Sendable { case plain, singleQuoted, doubleQuoted, literal }

    case scalar(String, tag: String?, style: ScalarStyle)
    case sequence([YAMLNode], tag: String?, flow: Bool)
    case mapping([(key: String, value: YAMLNode)], tag: String?)

    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a, t1, s1), .scalar(b, t2, s2)): return a == b && t1 == t2 && s1 == s2
        case let (.sequence(a, t1, f1), .sequence(b, t2, f2)): return a == b && t1 == t2 && f1 == f2
        case let (.mapping(a, t1), .mapping(b, t2)):
            return t1 == t2 && a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// An untagged string scalar, quoted only when a YAML 1.1 or 1.2 reader would take the plain
    /// form for another type (`yes`, `123`, `2.0`, `2012-10-17`, `~`), and written as a `|` block
    /// when it spans lines.
    public static func string(_ text: String) -> YAMLNode {
        // Bytes, not `contains("\n")`: with Foundation imported that is NSString's range(of:),
        // which was a quarter of rendering 10,000 resources.
        if text.utf8.contains(0x0A) { return .scalar(text, tag: nil, style: .literal) }
        return .scalar(text, tag: nil, style: YAMLQuoting.needsQuotes(text) ? .singleQuoted : .plain)
    }

    /// A scalar that must stay plain so that readers resolve it as a number or a boolean.
    public static func plain(_ text: String) -> YAMLNode { .scalar(text, tag: nil, style: .plain) }

    var isFlowable: Bool {
        switch self {
        case .scalar(let text, _, let style):
            // libyaml quotes a plain scalar with ':' in flow context (`!Ref 'AWS::Region'`); block style keeps it plain.
            return style != .literal && !text.utf8.contains(0x0A) && !(style == .plain && text.utf8.contains(0x3A))  // newline, ':'
        case .sequence(let items, _, let flow): return flow && items.allSatisfy(\.isFlowable)
        case .mapping: return false
        }
    }
}

/// Decides when a string must be quoted to stay a string.
public enum YAMLQuoting {
    private static let words: Set<String> = [
        "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "<<", "=",
    ]

    /// True when a YAML 1.1 (PyYAML, cfn-lint) or YAML 1.2 reader would resolve the plain
    /// scalar `text` to something other than a string. It errs on the side of quoting.
    public static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return true }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return text.utf8.allSatisfy(isNumberish)
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
             UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
             UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
            return text.utf8.count <= 5 && words.contains(text.lowercased())
        default:
            return false
        }
    }

    /// Characters that can make up an int, float, sexagesimal number, `.inf`/`.nan` or timestamp.
    private static func isNumberish(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: " "), UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "O"),
             UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "z"), UInt8(ascii: "Z"), UInt8(ascii: "i"),
             UInt8(ascii: "I"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            return true
        default:
            return false
        }
    }
}

/// Writes `YAMLNode` documents through libyaml's emitter: two-space indent, unlimited line width,
/// UTF-8 kept as is, `\n` line breaks, no document markers.
public enum YAMLWriter {
    public static func write(_ root: YAMLNode) -> String {
        let emitter = Emitter()
        emitter.document(root)
        return String(decoding: emitter.output.bytes, as: UTF8.self)
    }
}

/// One libyaml emitter writing into memory.
private final class Emitter {
    let output = OutputBuffer()
    private let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
    private var event = yaml_event_t()

    init() {
        guard yaml_emitter_initialize(emitter) == 1 else { fatalError("libyaml: cannot initialize the emitter") }
        yaml_emitter_set_output(emitter, writeHandler, Unmanaged.passUnretained(output).toOpaque())
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
    }

    func document(_ root: YAMLNode) {
        yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING)
        emit("stream start")
        yaml_document_start_event_initialize(&event, nil, nil, nil, 1)
        emit("document start")
        node(root)
        yaml_document_end_event_initialize(&event, 1)
        emit("document end")
        yaml_stream_end_event_initialize(&event)
        emit("stream end")
        yaml_emitter_flush(emitter)
    }

    private func emit(_ what: String) {
        if yaml_emitter_emit(emitter, &event) != 1 {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
            fatalError("libyaml refused \(what): \(problem)")
        }
    }

    private func node(_ node: YAMLNode) {
        switch node {
        case .scalar(let text, let tag, let style):
            let yamlStyle: yaml_scalar_style_t
            switch style {
            case .plain: yamlStyle = text.isEmpty ? YAML_SINGLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE
            case .singleQuoted: yamlStyle = YAML_SINGLE_QUOTED_SCALAR_STYLE
            case .doubleQuoted: yamlStyle = YAML_DOUBLE_QUOTED_SCALAR_STYLE
            case .literal: yamlStyle = YAML_LITERAL_SCALAR_STYLE
            }
            let implicit: Int32 = tag == nil ? 1 : 0
            Self.withOptionalCString(tag) { tagPointer in
                var text = text
                text.withUTF8 { value in
                    _ = yaml_scalar_event_initialize(
                        &event, nil, tagPointer, value.baseAddress, Int32(value.count), implicit, implicit, yamlStyle)
                }
            }
            emit("scalar")
        case .sequence(let items, let tag, let flow):
            let style = flow && items.allSatisfy(\.isFlowable) ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE
            Self.withOptionalCString(tag) { tagPointer in
                _ = yaml_sequence_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, style)
            }
            emit("sequence start")
            for item in items { self.node(item) }
            yaml_sequence_end_event_initialize(&event)
            emit("sequence end")
        case .mapping(let entries, let tag):
            Self.withOptionalCString(tag) { tagPointer in
                _ = yaml_mapping_start_event_initialize(&event, nil, tagPointer, tag == nil ? 1 : 0, YAML_BLOCK_MAPPING_STYLE)
            }
            emit("mapping start")
            for entry in entries {
                self.node(.string(entry.key))
                self.node(entry.value)
            }
            yaml_mapping_end_event_initialize(&event)
            emit("mapping end")
        }
    }

    private static func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<UInt8>?) -> R) -> R {
        guard let text else { return body(nil) }
        // libyaml reads the tag up to its NUL terminator.
        return text.withCString { pointer in
            pointer.withMemoryRebound(to: UInt8.self, capacity: text.utf8.count + 1) { body($0) }
        }
    }
}

private final class OutputBuffer {
    var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(16 * 1024) }
}

private let writeHandler: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int) -> Int32 = {
    data, buffer, size in
    guard let data, let buffer else { return 0 }
    let output = Unmanaged<OutputBuffer>.fromOpaque(data).takeUnretainedValue()
    output.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
    return 1
}
