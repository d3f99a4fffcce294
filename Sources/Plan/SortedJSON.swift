import Foundation

/// A JSON encoder for plan.json that writes, byte for byte, what Foundation's `JSONEncoder` writes
/// with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`: two-space indents, `"key" : value`,
/// keys in `String` order, `[\n\n]` for an empty list, and the same string escapes.
///
/// It exists for speed: `JSONEncoder` casts every value to the types it special-cases (dates,
/// URLs, data, dictionaries), and was a quarter of rendering a 10,000-resource app's output. This
/// one knows strings, integers, booleans and containers; for anything else (a floating-point
/// number, a date, a URL, data, `superEncoder`) it throws ``Unsupported``, and the caller uses
/// `JSONEncoder`.
enum SortedJSON {
    struct Unsupported: Error {}

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = NodeEncoder(codingPath: [])
        try encoder.encodeValue(value)
        guard let node = encoder.result, !encoder.failed.value else { throw Unsupported() }
        var writer = Writer()
        writer.write(node, depth: 0)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// What a value encoded to, before it is written.
    indirect enum Node {
        case string(String)
        case literal(String)  // a number, true, false or null, written as it is
        case array(Box<[Node]>)
        case object(Box<[(key: String, value: Node)]>)
    }

    /// A container that encoders and their nested containers append to.
    final class Box<Contents> {
        var contents: Contents
        init(_ contents: Contents) { self.contents = contents }
    }

    /// Set when any encoder of one `encode` call met a value it cannot write as JSONEncoder would.
    final class Flag {
        var value = false
    }

    static func isSpecial<T>(_ type: T.Type) -> Bool {
        type == Double.self || type == Float.self || type == Date.self || type == URL.self || type == Data.self || type == Decimal.self
    }

    final class NodeEncoder: Encoder {
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        var result: Node?
        let failed: Flag

        init(codingPath: [any CodingKey], failed: Flag = Flag()) {
            self.codingPath = codingPath
            self.failed = failed
        }

        func encodeValue<T: Encodable>(_ value: T) throws {
            if SortedJSON.isSpecial(T.self) { throw Unsupported() }
            try value.encode(to: self)
        }

        /// The node `value` encodes to; an encodable that encodes nothing is an empty object.
        func node<T: Encodable>(of value: T, key: (any CodingKey)?) throws -> Node {
            // The common leaves without a nested encoder (comparing types, not casting values).
            if T.self == String.self { return .string(value as! String) }
            if T.self == Int.self { return .literal(String(value as! Int)) }
            if T.self == Bool.self { return .literal((value as! Bool) ? "true" : "false") }
            let nested = NodeEncoder(codingPath: key.map { codingPath + [$0] } ?? codingPath, failed: failed)
            try nested.encodeValue(value)
            return nested.result ?? .object(Box([]))
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            let box: Box<[(key: String, value: Node)]>
            if case .object(let existing) = result {
                box = existing
            } else {
                box = Box([])
                result = .object(box)
            }
            return KeyedEncodingContainer(Keyed<Key>(encoder: self, box: box))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            let box: Box<[Node]>
            if case .array(let existing) = result {
                box = existing
            } else {
                box = Box([])
                result = .array(box)
            }
            return Unkeyed(encoder: self, box: box)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: NodeEncoder
        let box: Box<[(key: String, value: Node)]>
        var codingPath: [any CodingKey] { encoder.codingPath }

        func put(_ node: Node, _ key: Key) { box.contents.append((key.stringValue, node)) }
        mutating func encodeNil(forKey key: Key) throws { put(.literal("null"), key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.literal(value ? "true" : "false"), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.literal(String(value)), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { throw Unsupported() }
        mutating func encode(_ value: Float, forKey key: Key) throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(try encoder.node(of: value, key: key), key) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = Box<[(key: String, value: Node)]>([])
            put(.object(nested), key)
            return KeyedEncodingContainer(Keyed<NestedKey>(encoder: NodeEncoder(codingPath: codingPath + [key], failed: encoder.failed), box: nested))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = Box<[Node]>([])
            put(.array(nested), key)
            return Unkeyed(encoder: NodeEncoder(codingPath: codingPath + [key], failed: encoder.failed), box: nested)
        }

        mutating func superEncoder() -> any Encoder { unsupported() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { unsupported() }

        func unsupported() -> any Encoder {
            encoder.failed.value = true
            return NodeEncoder(codingPath: codingPath, failed: encoder.failed)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: NodeEncoder
        let box: Box<[Node]>
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { box.contents.count }

        func put(_ node: Node) { box.contents.append(node) }
        mutating func encodeNil() throws { put(.literal("null")) }
        mutating func encode(_ value: Bool) throws { put(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) throws { put(.string(value)) }
        mutating func encode(_ value: Int) throws { put(.literal(String(value))) }
        mutating func encode(_ value: Int8) throws { put(.literal(String(value))) }
        mutating func encode(_ value: Int16) throws { put(.literal(String(value))) }
        mutating func encode(_ value: Int32) throws { put(.literal(String(value))) }
        mutating func encode(_ value: Int64) throws { put(.literal(String(value))) }
        mutating func encode(_ value: UInt) throws { put(.literal(String(value))) }
        mutating func encode(_ value: UInt8) throws { put(.literal(String(value))) }
        mutating func encode(_ value: UInt16) throws { put(.literal(String(value))) }
        mutating func encode(_ value: UInt32) throws { put(.literal(String(value))) }
        mutating func encode(_ value: UInt64) throws { put(.literal(String(value))) }
        mutating func encode(_ value: Double) throws { throw Unsupported() }
        mutating func encode(_ value: Float) throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T) throws { put(try encoder.node(of: value, key: nil)) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = Box<[(key: String, value: Node)]>([])
            put(.object(nested))
            return KeyedEncodingContainer(Keyed<NestedKey>(encoder: NodeEncoder(codingPath: codingPath, failed: encoder.failed), box: nested))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = Box<[Node]>([])
            put(.array(nested))
            return Unkeyed(encoder: NodeEncoder(codingPath: codingPath, failed: encoder.failed), box: nested)
        }

        mutating func superEncoder() -> any Encoder {
            encoder.failed.value = true
            return NodeEncoder(codingPath: codingPath, failed: encoder.failed)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: NodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        func set(_ node: Node) { encoder.result = node }
        mutating func encodeNil() throws { set(.literal("null")) }
        mutating func encode(_ value: Bool) throws { set(.literal(value ? "true" : "false")) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Int) throws { set(.literal(String(value))) }
        mutating func encode(_ value: Int8) throws { set(.literal(String(value))) }
        mutating func encode(_ value: Int16) throws { set(.literal(String(value))) }
        mutating func encode(_ value: Int32) throws { set(.literal(String(value))) }
        mutating func encode(_ value: Int64) throws { set(.literal(String(value))) }
        mutating func encode(_ value: UInt) throws { set(.literal(String(value))) }
        mutating func encode(_ value: UInt8) throws { set(.literal(String(value))) }
        mutating func encode(_ value: UInt16) throws { set(.literal(String(value))) }
        mutating func encode(_ value: UInt32) throws { set(.literal(String(value))) }
        mutating func encode(_ value: UInt64) throws { set(.literal(String(value))) }
        mutating func encode(_ value: Double) throws { throw Unsupported() }
        mutating func encode(_ value: Float) throws { throw Unsupported() }
        mutating func encode<T: Encodable>(_ value: T) throws { set(try encoder.node(of: value, key: nil)) }
    }

    /// Pretty-printed bytes of a node, as JSONEncoder lays them out.
    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(1 << 16) }

        mutating func newline(indent depth: Int) {
            bytes.append(0x0A)
            bytes.append(contentsOf: repeatElement(0x20, count: depth * 2))
        }

        mutating func write(_ node: Node, depth: Int) {
            switch node {
            case .string(let text): write(string: text)
            case .literal(let text): bytes.append(contentsOf: text.utf8)
            case .array(let box):
                bytes.append(UInt8(ascii: "["))
                if box.contents.isEmpty { bytes.append(0x0A) }
                for (index, item) in box.contents.enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    newline(indent: depth + 1)
                    write(item, depth: depth + 1)
                }
                newline(indent: depth)
                bytes.append(UInt8(ascii: "]"))
            case .object(let box):
                bytes.append(UInt8(ascii: "{"))
                let entries = box.contents
                if entries.isEmpty { bytes.append(0x0A) }
                // By key; of a key written twice, the last (JSONEncoder keeps a dictionary).
                let order = entries.indices.sorted { entries[$0].key < entries[$1].key || (entries[$0].key == entries[$1].key && $0 < $1) }
                var first = true
                for (position, index) in order.enumerated() {
                    if position + 1 < order.count, entries[order[position + 1]].key == entries[index].key { continue }
                    if !first { bytes.append(UInt8(ascii: ",")) }
                    first = false
                    newline(indent: depth + 1)
                    write(string: entries[index].key)
                    bytes.append(0x20)
                    bytes.append(UInt8(ascii: ":"))
                    bytes.append(0x20)
                    write(entries[index].value, depth: depth + 1)
                }
                newline(indent: depth)
                bytes.append(UInt8(ascii: "}"))
            }
        }

        mutating func write(string: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = string
            text.withUTF8 { utf8 in
                // Runs without an escape are copied whole.
                var start = 0
                for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0x5C {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    escape(byte)
                    start = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        mutating func escape(_ byte: UInt8) {
            bytes.append(0x5C)
            switch byte {
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0..<0x20:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30])
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            default: bytes.append(byte)  // '"' and '\\'
            }
        }
    }
}
