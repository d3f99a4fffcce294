/// A route key of an HTTP API: `$default`, or a method and a path such as
/// `GET /games/{gameId}/questions` or `ANY /v1/{proxy+}`.
public struct RouteKey: Hashable, Sendable, CustomStringConvertible {
    public static let methods = ["ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

    public let text: String

    public init(_ text: String) { self.text = text }

    public var description: String { text }
    public var isDefault: Bool { text == "$default" }

    /// Why API Gateway would reject this route key, or nil when it is valid.
    public var problem: String? {
        if isDefault { return nil }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "must be '$default' or '<METHOD> <path>' with one space" }
        let method = String(parts[0])
        let path = String(parts[1])
        guard Self.methods.contains(method) else { return "has method '\(method)'; use one of \(Self.methods.joined(separator: ", "))" }
        guard path.hasPrefix("/") else { return "has path '\(path)', which must start with '/'" }
        if path == "/" { return nil }
        if path.hasSuffix("/") { return "has path '\(path)', which must not end with '/'" }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var parameters = Set<String>()
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty { return "has an empty path segment ('//')" }
            // Bytes, not contains("{"): that is NSString's range(of:) on Linux, which was most of
            // the time of validating 1,500 routes.
            if segment.utf8.contains(0x7B) || segment.utf8.contains(0x7D) {  // '{', '}'
                guard segment.hasPrefix("{"), segment.hasSuffix("}"), segment.count > 2 else {
                    return "has segment '\(segment)'; a path parameter is a whole segment like {gameId}"
                }
                var name = String(segment.dropFirst().dropLast())
                if name.hasSuffix("+") {
                    guard index == segments.count - 1 else { return "has greedy parameter '\(segment)' before the last segment" }
                    name = String(name.dropLast())
                }
                guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                    return "has parameter '\(segment)'; names use letters, digits, '_' and '-'"
                }
                guard parameters.insert(name).inserted else { return "uses parameter '{\(name)}' twice" }
            } else {
                guard segment.utf8.allSatisfy(Self.mayStandUnescaped) else {
                    return "has segment '\(segment)' with characters a URL path cannot carry unescaped"
                }
            }
        }
        return nil
    }

    /// An ASCII letter or digit, or one of `-._~!$&'()*,;=:@`: what a path segment carries unescaped.
    private static func mayStandUnescaped(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*,;=:@".utf8.contains(byte)
        }
    }
}
