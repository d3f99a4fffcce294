/// Writes ZIP archives that depend only on their entries: entries sorted by path, every
/// timestamp 1980-01-01 00:00, permissions 0644, entries stored (not compressed). The same files
/// always give the same bytes, so an archive's SHA-256 names it.
///
/// ZIP64 records (APPNOTE 6.3, section 4.5.3) are written exactly where a field overflows: an
/// entry of 4 GiB or more, an entry starting 4 GiB or more into the archive, more than 65,535
/// entries, or a central directory beyond 4 GiB. Smaller archives are plain ZIP 2.0, byte for
/// byte as before. Every number is converted with a check: what does not fit is an error, never
/// a trap or a silently truncated field.
public enum ZipArchive {
    public struct Entry: Equatable, Sendable {
        public let path: String
        public let contents: [UInt8]

        public init(path: String, contents: [UInt8]) {
            self.path = path
            self.contents = contents
        }
    }

    public enum Problem: Error, Equatable, Sendable {
        /// A path longer than the 65,535 bytes a ZIP header can hold.
        case pathTooLong(String)
        case duplicatePath(String)
    }

    private static let max16 = UInt64(UInt16.max)
    private static let max32 = UInt64(UInt32.max)

    /// The archive of `entries`. `alwaysZip64` writes ZIP64 records even where plain fields
    /// would do (for tests of the ZIP64 layout on small archives).
    public static func archive(_ entries: [Entry], alwaysZip64: Bool = false) throws(Problem) -> [UInt8] {
        var output: [UInt8] = []
        var central: [UInt8] = []
        let sorted = entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
        for (index, entry) in sorted.enumerated() where index > 0 && sorted[index - 1].path == entry.path {
            throw .duplicatePath(entry.path)
        }
        for entry in sorted {
            let name = Array(entry.path.utf8)
            guard let nameLength = UInt16(exactly: name.count) else { throw .pathTooLong(entry.path) }
            let crc = CRC32.checksum(entry.contents)
            let size = UInt64(entry.contents.count)
            let offset = UInt64(output.count)
            let bigSize = alwaysZip64 || size >= max32
            let bigOffset = alwaysZip64 || offset >= max32
            let version: UInt16 = bigSize || bigOffset ? 45 : 20

            // Local file header; a ZIP64 extra field carries both sizes when they overflow.
            var localExtra: [UInt8] = []
            if bigSize {
                localExtra.append16(0x0001)
                localExtra.append16(16)
                localExtra.append64(size)
                localExtra.append64(size)
            }
            output.append32(0x0403_4b50)
            output.append16(version)
            output.append16(0x0800)  // flags: UTF-8 names
            output.append16(0)  // method: stored
            output.append16(0)  // time 00:00
            output.append16(0x21)  // date 1980-01-01
            output.append32(crc)
            output.append32(bigSize ? UInt32.max : UInt32(size))
            output.append32(bigSize ? UInt32.max : UInt32(size))
            output.append16(nameLength)
            output.append16(UInt16(localExtra.count))
            output += name
            output += localExtra
            output += entry.contents

            // Central directory header; the ZIP64 extra field holds, in this order, the sizes and
            // the offset that overflow.
            var centralExtra: [UInt8] = []
            if bigSize || bigOffset {
                var fields: [UInt8] = []
                if bigSize {
                    fields.append64(size)
                    fields.append64(size)
                }
                if bigOffset { fields.append64(offset) }
                centralExtra.append16(0x0001)
                centralExtra.append16(UInt16(fields.count))
                centralExtra += fields
            }
            central.append32(0x0201_4b50)
            central.append16(0x0300 | version)  // made by: Unix
            central.append16(version)
            central.append16(0x0800)
            central.append16(0)
            central.append16(0)
            central.append16(0x21)
            central.append32(crc)
            central.append32(bigSize ? UInt32.max : UInt32(size))
            central.append32(bigSize ? UInt32.max : UInt32(size))
            central.append16(nameLength)
            central.append16(UInt16(centralExtra.count))
            central.append16(0)  // comment
            central.append16(0)  // disk
            central.append16(0)  // internal attributes
            central.append32(0o100644 << 16)  // external attributes: regular file, rw-r--r--
            central.append32(bigOffset ? UInt32.max : UInt32(offset))
            central += name
            central += centralExtra
        }
        let count = UInt64(sorted.count)
        let centralOffset = UInt64(output.count)
        let centralSize = UInt64(central.count)
        output += central
        let zip64 = alwaysZip64 || count >= max16 || centralOffset >= max32 || centralSize >= max32
        if zip64 {
            let recordOffset = UInt64(output.count)
            // ZIP64 end of central directory record.
            output.append32(0x0606_4b50)
            output.append64(44)  // size of the rest of the record
            output.append16(0x032d)  // made by: Unix, 4.5
            output.append16(45)
            output.append32(0)  // this disk
            output.append32(0)  // disk with the central directory
            output.append64(count)
            output.append64(count)
            output.append64(centralSize)
            output.append64(centralOffset)
            // ZIP64 end of central directory locator.
            output.append32(0x0706_4b50)
            output.append32(0)
            output.append64(recordOffset)
            output.append32(1)  // total disks
        }
        output.append32(0x0605_4b50)
        output.append16(0)
        output.append16(0)
        output.append16(zip64 ? UInt16.max : UInt16(count))
        output.append16(zip64 ? UInt16.max : UInt16(count))
        output.append32(zip64 ? UInt32.max : UInt32(centralSize))
        output.append32(zip64 ? UInt32.max : UInt32(centralOffset))
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
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func append16(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    fileprivate mutating func append32(_ value: UInt32) {
        for shift in [0, 8, 16, 24] { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    fileprivate mutating func append64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
