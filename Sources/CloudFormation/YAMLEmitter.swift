internal import CLibYAML

/// Writes one YAML document through libyaml's emitter, event by event, as the caller walks its
/// data: two-space indent, unlimited line width, UTF-8 kept as is, `\n` line breaks, no document
/// markers. The caller says each scalar's tag and style, so libyaml never has to guess; libyaml
/// still quotes a plain scalar that would not read back as the same string.
///
/// There is no tree in between: building one cost as much time as libyaml itself on 10,000
/// resources, and as much again to free it.
final class YAMLEmitter {
    enum ScalarStyle { case plain, singleQuoted, literal }

    private let output = OutputBuffer()
    private let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
    /// A pointer rather than a stored `yaml_event_t`: `&` on a class's stored property is an
    /// exclusivity check at run time, which cost a fifth of this class's own time.
    private let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)

    init() {
        event.initialize(to: yaml_event_t())
        guard yaml_emitter_initialize(emitter) == 1 else { fatalError("libyaml: cannot initialize the emitter") }
        yaml_emitter_set_output(emitter, writeHandler, Unmanaged.passUnretained(output).toOpaque())
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
        yaml_stream_start_event_initialize(event, YAML_UTF8_ENCODING)
        emit("stream start")
        yaml_document_start_event_initialize(event, nil, nil, nil, 1)
        emit("document start")
    }

    deinit {
        yaml_emitter_delete(emitter)
        emitter.deallocate()
        event.deallocate()
    }

    /// Ends the document (after its one root node) and returns the text.
    func finish() -> String {
        yaml_document_end_event_initialize(event, 1)
        emit("document end")
        yaml_stream_end_event_initialize(event)
        emit("stream end")
        yaml_emitter_flush(emitter)
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// An untagged string, quoted only when a YAML 1.1 or 1.2 reader would take the plain form for
    /// another type (`yes`, `123`, `2.0`, `2012-10-17`, `~`), and written as a `|` block when it
    /// spans lines.
    func string(_ text: String) {
        scalar(text, style: Self.style(ofString: text))
    }

    static func style(ofString text: String) -> ScalarStyle {
        if text.containsByte(0x0A) { return .literal }  // newline
        return YAMLQuoting.needsQuotes(text) ? .singleQuoted : .plain
    }

    /// A scalar in the given style; an empty plain scalar is written `''`. A tag makes it
    /// explicit (`!Ref Zone`).
    func scalar(_ text: String, tag: StaticString? = nil, style: ScalarStyle) {
        let yamlStyle: yaml_scalar_style_t
        switch style {
        case .plain: yamlStyle = text.isEmpty ? YAML_SINGLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE
        case .singleQuoted: yamlStyle = YAML_SINGLE_QUOTED_SCALAR_STYLE
        case .literal: yamlStyle = YAML_LITERAL_SCALAR_STYLE
        }
        let implicit: Int32 = tag == nil ? 1 : 0
        var text = text
        text.withUTF8 { value in
            _ = yaml_scalar_event_initialize(
                event, nil, tag?.utf8Start, value.baseAddress, Int32(value.count), implicit, implicit, yamlStyle)
        }
        emit("scalar")
    }

    /// Starts a sequence: `[a, b]` when `flow`, else one `- item` per line. Every item of a flow
    /// sequence must be flowable (see `TemplateRenderer`).
    func beginSequence(tag: StaticString? = nil, flow: Bool) {
        _ = yaml_sequence_start_event_initialize(
            event, nil, tag?.utf8Start, tag == nil ? 1 : 0, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE)
        emit("sequence start")
    }

    func endSequence() {
        yaml_sequence_end_event_initialize(event)
        emit("sequence end")
    }

    /// Starts a block mapping; keys and values then alternate.
    func beginMapping() {
        _ = yaml_mapping_start_event_initialize(event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE)
        emit("mapping start")
    }

    func endMapping() {
        yaml_mapping_end_event_initialize(event)
        emit("mapping end")
    }

    private func emit(_ what: StaticString) {
        if yaml_emitter_emit(emitter, event) != 1 {
            let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
            fatalError("libyaml refused \(what): \(problem)")
        }
    }
}

extension String {
    /// True when the UTF-8 of the text holds `byte`. Bytes, not `contains("\n")`: with Foundation
    /// imported that is NSString's range(of:), which was a quarter of rendering 10,000 resources.
    func containsByte(_ byte: UInt8) -> Bool {
        var text = self
        return text.withUTF8 { $0.contains(byte) }
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
