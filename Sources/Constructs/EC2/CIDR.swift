/// An IPv4 CIDR block such as `10.0.0.0/16`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    public let address: UInt32
    public let prefix: Int

    public init(address: UInt32, prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    /// Parses `a.b.c.d/n`; nil when it is not an IPv4 CIDR.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard let value = UInt32(octet), value <= 255, octet.count <= 3 else { return nil }
            address = address << 8 | value
        }
        self.address = address
        self.prefix = prefix
    }

    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }
    var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }
    /// True when no host bits are set (`10.0.0.0/16`, not `10.0.0.1/16`).
    public var isNetworkAddress: Bool { address & ~mask == 0 }
    var last: UInt64 { UInt64(address) + size - 1 }

    public func contains(_ other: CIDR) -> Bool {
        other.prefix >= prefix && UInt64(other.address) >= UInt64(address) && other.last <= last
    }

    public func overlaps(_ other: CIDR) -> Bool {
        UInt64(address) <= other.last && UInt64(other.address) <= last
    }

    public var description: String {
        let octets = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }
        return octets.joined(separator: ".") + "/\(prefix)"
    }
}
