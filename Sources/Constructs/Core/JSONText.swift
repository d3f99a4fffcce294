/// A strict JSON reader (RFC 8259) that says where a text stops being JSON, in words and with a
/// line and column, for inputs a person writes: a state machine definition, a rule target's input.
/// Foundation's parser reports neither in a form a message can use. It keeps only what the checks
/// need: objects with their keys in order, and where each value starts.
struct JSONText {
    indirect enum Node: Equatable {
        case object([Member])
        case array([Node])
        case string(String)
        case number(String)
        case bool(Bool)
        case null

        subscript(key: String) -> Member? {
            if case .object(let members) = self { return members.first { $0.key == key } }
            return nil
        }
    }

    struct Member: Equatable {
        let key: String
        let value: Node
        /// Line and column (1-based) where the key starts.
        let line: Int
        let column: Int
    }

    struct SyntaxError: Error, Equatable {
        /// What is wrong, as the end of a sentence: `expected ',' or '}' after an object member`.
        let reason: String
        let line: Int
        let column: Int
    }

    /// Deeper nesting is refused rather than risking the stack.
    static let maximumDepth = 512

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    private var column = 1

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The parsed document, or where and why it is not JSON.
    static func parse(_ text: String) -> Result<Node, SyntaxError> {
        var reader = JSONText(text)
        do {
            reader.skipWhitespace()
            let node = try reader.value(depth: 0)
            reader.skipWhitespace()
            if reader.offset < reader.bytes.count {
                throw reader.error("unexpected \(reader.describeNext()) after the end of the JSON value")
            }
            return .success(node)
        } catch let error as SyntaxError {
            return .failure(error)
        } catch {
            return .failure(SyntaxError(reason: "cannot be read", line: 1, column: 1))
        }
    }

    private func error(_ reason: String) -> SyntaxError {
        SyntaxError(reason: reason, line: line, column: column)
    }

    private var next: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func describeNext() -> String {
        guard let byte = next else { return "end of text" }
        if byte >= 0x21 && byte < 0x7f { return "'\(Character(UnicodeScalar(byte)))'" }
        if byte == 0x0a { return "line break" }
        return "character"
    }

    private mutating func advance() {
        guard let byte = next else { return }
        offset += 1
        if byte == 0x0a {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1  // a new character, not a UTF-8 continuation byte
        }
    }

    private mutating func skipWhitespace() {
        while let byte = next, byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 { advance() }
    }

    private mutating func expect(_ literal: String, _ node: Node) throws -> Node {
        let (startLine, startColumn) = (line, column)
        for expected in literal.utf8 {
            guard next == expected else {
                throw SyntaxError(reason: "expected a value (a string, number, object, array, true, false or null)", line: startLine, column: startColumn)
            }
            advance()
        }
        return node
    }

    private mutating func value(depth: Int) throws -> Node {
        guard depth < Self.maximumDepth else { throw error("nested more than \(Self.maximumDepth) levels deep") }
        guard let byte = next else { throw error("unexpected end of text, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "'"): throw error("strings must be in double quotes, not single quotes")
        default: throw error("expected a value (a string, number, object, array, true, false or null), found \(describeNext())")
        }
    }

    private mutating func object(depth: Int) throws -> Node {
        advance()  // {
        var members: [Member] = []
        skipWhitespace()
        if next == UInt8(ascii: "}") {
            advance()
            return .object(members)
        }
        while true {
            skipWhitespace()
            let (keyLine, keyColumn) = (line, column)
            guard next == UInt8(ascii: "\"") else {
                if next == UInt8(ascii: "}") { throw error("a trailing comma before '}' is not allowed") }
                if next == nil { throw error("unexpected end of text inside an object") }
                if next == UInt8(ascii: "'") { throw error("member names must be in double quotes, not single quotes") }
                throw error("expected a member name in double quotes, found \(describeNext())")
            }
            let key = try string()
            skipWhitespace()
            guard next == UInt8(ascii: ":") else { throw error("expected ':' after the member name \"\(key)\"") }
            advance()
            skipWhitespace()
            let member = try value(depth: depth + 1)
            if members.contains(where: { $0.key == key }) {
                throw SyntaxError(reason: "member \"\(key)\" appears twice in one object", line: keyLine, column: keyColumn)
            }
            members.append(Member(key: key, value: member, line: keyLine, column: keyColumn))
            skipWhitespace()
            switch next {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"):
                advance()
                return .object(members)
            case nil: throw error("unexpected end of text inside an object, expected ',' or '}'")
            default: throw error("expected ',' or '}' after an object member, found \(describeNext())")
            }
        }
    }

    private mutating func array(depth: Int) throws -> Node {
        advance()  // [
        var items: [Node] = []
        skipWhitespace()
        if next == UInt8(ascii: "]") {
            advance()
            return .array(items)
        }
        while true {
            skipWhitespace()
            if next == UInt8(ascii: "]") { throw error("a trailing comma before ']' is not allowed") }
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            switch next {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "]"):
                advance()
                return .array(items)
            case nil: throw error("unexpected end of text inside an array, expected ',' or ']'")
            default: throw error("expected ',' or ']' after an array element, found \(describeNext())")
            }
        }
    }

    private mutating func string() throws -> String {
        advance()  // opening quote
        var scalars: [UInt8] = []
        while true {
            guard let byte = next else { throw error("unexpected end of text inside a string") }
            if byte == UInt8(ascii: "\"") {
                advance()
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 { throw error(byte == 0x0a ? "a string must not span lines (write \\n)" : "a control character in a string must be escaped") }
            if byte == UInt8(ascii: "\\") {
                advance()
                guard let escaped = next else { throw error("unexpected end of text inside a string") }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0c)
                case UInt8(ascii: "n"): scalars.append(0x0a)
                case UInt8(ascii: "r"): scalars.append(0x0d)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code: UInt32 = 0
                    for _ in 0..<4 {
                        advance()
                        guard let digit = next, let value = Self.hexValue(digit) else { throw error("\\u must be followed by four hexadecimal digits") }
                        code = code * 16 + value
                    }
                    scalars.append(contentsOf: Array(String(UnicodeScalar(code).map(Character.init) ?? "\u{FFFD}").utf8))
                default: throw error("'\\\(Character(UnicodeScalar(escaped)))' is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)")
                }
                advance()
                continue
            }
            scalars.append(byte)
            advance()
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func number() throws -> Node {
        let start = offset
        let invalid = error("invalid number")
        func digits(_ reader: inout JSONText) -> Int {
            var count = 0
            while let byte = reader.next, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                reader.advance()
                count += 1
            }
            return count
        }
        if next == UInt8(ascii: "-") { advance() }
        if next == UInt8(ascii: "0") {
            advance()
            if let byte = next, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { throw SyntaxError(reason: "numbers must not have leading zeros", line: invalid.line, column: invalid.column) }
        } else if digits(&self) == 0 {
            throw invalid
        }
        if next == UInt8(ascii: ".") {
            advance()
            if digits(&self) == 0 { throw invalid }
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            advance()
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { advance() }
            if digits(&self) == 0 { throw invalid }
        }
        return .number(String(decoding: bytes[start..<offset], as: UTF8.self))
    }
}
