/// Writes ZIP archives that depend only on their entries: entries sorted by path, every
/// timestamp 1980-01-01 00:00, permissions 0644, no extra fields, entries stored (not
/// compressed). The same files always give the same bytes, so an archive's SHA-256 names it.
public enum ZipArchive {
    public struct Entry: Equatable, Sendable {
        public let path: String
        public let contents: [UInt8]

        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
    }

    public static func archive(_ entries: [Entry]) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        let sorted = entries.sorted { $0.path < $1.path }
        for entry in sorted {
            let name = Array(entry.path.utf8)
            let crc = CRC32.checksum(entry.contents)
            let offset = UInt32(output.count)
            // Local file header.
            output.append32(0x0403_4b50)
            output.append16(20)  // version needed: 2.0
            output.append16(0x0800)  // flags: UTF-8 names
            output.append16(0)  // method: stored
            output.append16(0)  // time 00:00
            output.append16(0x21)  // date 1980-01-01
            output.append32(crc)
            output.append32(UInt32(entry.contents.count))
            output.append32(UInt32(entry.contents.count))
            output.append16(UInt16(name.count))
            output.append16(0)  // extra length
            output += name
            output += entry.contents
            // Central directory header.
            central.append32(0x0201_4b50)
            central.append16(0x0314)  // made by: Unix, 2.0
            central.append16(20)
            central.append16(0x0800)
            central.append16(0)
            central.append16(0)
            central.append16(0x21)
            central.append32(crc)
            central.append32(UInt32(entry.contents.count))
            central.append32(UInt32(entry.contents.count))
            central.append16(UInt16(name.count))
            central.append16(0)  // extra
            central.append16(0)  // comment
            central.append16(0)  // disk
            central.append16(0)  // internal attributes
            central.append32(0o100644 << 16)  // external attributes: regular file, rw-r--r--
            central.append32(offset)
            central += name
        }
        let centralOffset = UInt32(output.count)
        output += central
        output.append32(0x0605_4b50)
        output.append16(0)
        output.append16(0)
        output.append16(UInt16(sorted.count))
        output.append16(UInt16(sorted.count))
        output.append32(UInt32(central.count))
        output.append32(centralOffset)
        output.append16(0)
        return output
    }
}

/// CRC-32 (IEEE 802.3), as ZIP uses it.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func append16(_ value: UInt16) {
        append(UInt8(value & 0xff))
        append(UInt8(value >> 8))
    }

    fileprivate mutating func append32(_ value: UInt32) {
        for shift in [0, 8, 16, 24] { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
