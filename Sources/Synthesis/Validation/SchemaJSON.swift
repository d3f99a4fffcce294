
/// Reads the JSON of the schema data files (compact, ASCII, `\uXXXX` escapes: what
/// Scripts/generate-l1 writes) in place, through a pointer into the file's bytes, so that the
/// validator compiles schema nodes without building `Any` values first. In a debug build,
/// `JSONSerialization` and the casts out of `Any` were two fifths of validation; this reader is
/// several times faster over the same bytes.
///
/// Every read throws ``Malformed`` rather than trapping when the bytes are not the JSON it
/// expects, and never reads outside its range.
struct SchemaJSON {
    struct Malformed: Error {}

    private let base: UnsafePointer<UInt8>
    private var position: UnsafePointer<UInt8>
    private let end: UnsafePointer<UInt8>

    /// A reader of `buffer[range]`; `range` must lie inside the buffer.
    init(_ buffer: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        // An empty array's buffer has no address; any address serves for an empty range.
        let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.base = base
        let lower = min(max(range.lowerBound, 0), buffer.count)
        position = base + lower
        end = base + min(max(range.upperBound, lower), buffer.count)
    }

    /// Where the reader is, as an index of the buffer it reads.
    var offset: Int { position - base }

    var isAtEnd: Bool {
        mutating get {
            skipSpace()
            return position >= end
        }
    }

    private mutating func skipSpace() {
        while position < end {
            switch position.pointee {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// The next byte after any whitespace, not consumed.
    mutating func peek() throws -> UInt8 {
        skipSpace()
        guard position < end else { throw Malformed() }
        return position.pointee
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard try peek() == byte else { throw Malformed() }
        position += 1
    }

    /// Consumes `byte` if it comes next.
    private mutating func consume(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        position += 1
        return true
    }

    /// Calls `body` with each key of an object, the reader at the key's value; `body` must read
    /// or ``skip()`` that value.
    mutating func object(_ body: (inout SchemaJSON, String) throws -> Void) throws {
        try expect(0x7B)  // {
        if try consume(0x7D) { return }
        repeat {
            let key = try string()
            try expect(0x3A)  // :
            try body(&self, key)
        } while try consume(0x2C)  // ,
        try expect(0x7D)
    }

    /// Calls `body` with the reader at each element of an array; `body` must read or skip it.
    mutating func array(_ body: (inout SchemaJSON) throws -> Void) throws {
        try expect(0x5B)  // [
        if try consume(0x5D) { return }
        repeat { try body(&self) } while try consume(0x2C)
        try expect(0x5D)
    }

    /// An array of strings.
    mutating func strings() throws -> [String] {
        var result: [String] = []
        try array { result.append(try $0.string()) }
        return result
    }

    mutating func string() throws -> String {
        try expect(0x22)
        let start = position
        while position < end {
            let byte = position.pointee
            if byte == 0x22 {
                defer { position += 1 }
                return String(decoding: UnsafeBufferPointer(start: start, count: position - start), as: UTF8.self)
            }
            if byte == 0x5C { break }  // an escape: the slow path below
            position += 1
        }
        var bytes = Array(UnsafeBufferPointer(start: start, count: position - start))
        while position < end {
            let byte = position.pointee
            position += 1
            switch byte {
            case 0x22:
                return String(decoding: bytes, as: UTF8.self)
            case 0x5C:
                guard position < end else { throw Malformed() }
                let escaped = position.pointee
                position += 1
                switch escaped {
                case 0x22, 0x5C, 0x2F: bytes.append(escaped)
                case 0x62: bytes.append(0x08)  // b
                case 0x66: bytes.append(0x0C)  // f
                case 0x6E: bytes.append(0x0A)  // n
                case 0x72: bytes.append(0x0D)  // r
                case 0x74: bytes.append(0x09)  // t
                case 0x75: bytes += try unicodeEscape()  // u
                default: throw Malformed()
                }
            default:
                bytes.append(byte)
            }
        }
        throw Malformed()
    }

    /// The UTF-8 of a `\uXXXX` escape (the reader after its `u`), with a following low surrogate
    /// when it is a high one.
    private mutating func unicodeEscape() throws -> [UInt8] {
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), end - position >= 6, position.pointee == 0x5C, (position + 1).pointee == 0x75 {
            position += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) } else { code = 0xFFFD }
        }
        return Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
    }

    private mutating func hex4() throws -> UInt32 {
        guard end - position >= 4 else { throw Malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = position.pointee
            position += 1
            switch byte {
            case 0x30...0x39: value = value << 4 | UInt32(byte - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(byte - 0x41 + 10)
            case 0x61...0x66: value = value << 4 | UInt32(byte - 0x61 + 10)
            default: throw Malformed()
            }
        }
        return value
    }

    /// A number.
    mutating func number() throws -> Double {
        guard let value = Double(try token()) else { throw Malformed() }
        return value
    }

    /// A whole number, or nil for a number with a fraction.
    mutating func integer() throws -> Int? {
        Int(exactly: try number())
    }

    /// A boolean.
    mutating func bool() throws -> Bool {
        switch try token() {
        case "true": true
        case "false": false
        default: throw Malformed()
        }
    }

    /// A scalar as the text the walker compares values with: a string's own text, and a number,
    /// boolean or null as written (`5`, `true`).
    mutating func scalarText() throws -> String {
        try peek() == 0x22 ? try string() : try token()
    }

    /// A number, `true`, `false` or `null`, as written.
    private mutating func token() throws -> String {
        skipSpace()
        let start = position
        while position < end, Self.isTokenByte(position.pointee) { position += 1 }
        guard position > start else { throw Malformed() }
        return String(decoding: UnsafeBufferPointer(start: start, count: position - start), as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2B, 0x2D, 0x2E, 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: false
        }
    }

    /// Skips one value of any kind, nested ones included.
    mutating func skip() throws {
        switch try peek() {
        case 0x22:
            try expect(0x22)
            while position < end {
                let byte = position.pointee
                position += 1
                if byte == 0x22 { return }
                if byte == 0x5C { position += 1 }
            }
            throw Malformed()
        case 0x7B:
            try object { reader, _ in try reader.skip() }
        case 0x5B:
            try array { try $0.skip() }
        default:
            let text = try token()
            guard text == "true" || text == "false" || text == "null" || Double(text) != nil else { throw Malformed() }
        }
    }
}

extension ResourceSchemaData.Service {
    /// Runs `body` with a reader of `range` of this file; nil when the bytes there are not one
    /// whole JSON value of the expected shape.
    func read<T>(_ range: Range<Int>, _ body: (inout SchemaJSON) throws -> T) -> T? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = SchemaJSON(buffer, range: range)
            guard let value = try? body(&reader), reader.isAtEnd else { return nil }
            return value
        }
    }
}
