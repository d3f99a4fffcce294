/// The AWS regions Stratus accepts in environment files and stacks.
public enum Regions {
    public static let all: [String] = [
        "af-south-1",
        "ap-east-1", "ap-east-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "cn-north-1", "cn-northwest-1",
        "eu-central-1", "eu-central-2",
        "eu-north-1",
        "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3",
        "il-central-1",
        "me-central-1", "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1", "us-east-2",
        "us-gov-east-1", "us-gov-west-1",
        "us-west-1", "us-west-2",
    ]

    private static let known = Set(all)

    /// Availability zones a new account can use in each region.
    public static let availabilityZones: [String: Int] = [
        "af-south-1": 3, "ap-east-1": 3, "ap-east-2": 3, "ap-northeast-1": 3, "ap-northeast-2": 4, "ap-northeast-3": 3,
        "ap-south-1": 3, "ap-south-2": 3, "ap-southeast-1": 3, "ap-southeast-2": 3, "ap-southeast-3": 3,
        "ap-southeast-4": 3, "ap-southeast-5": 3, "ap-southeast-6": 3, "ap-southeast-7": 3, "ca-central-1": 3,
        "ca-west-1": 3, "cn-north-1": 3, "cn-northwest-1": 3, "eu-central-1": 3, "eu-central-2": 3, "eu-north-1": 3,
        "eu-south-1": 3, "eu-south-2": 3, "eu-west-1": 3, "eu-west-2": 3, "eu-west-3": 3, "il-central-1": 3,
        "me-central-1": 3, "me-south-1": 3, "mx-central-1": 3, "sa-east-1": 3, "us-east-1": 6, "us-east-2": 3,
        "us-gov-east-1": 3, "us-gov-west-1": 3, "us-west-1": 2, "us-west-2": 4,
    ]

    public static func isKnown(_ region: String) -> Bool { known.contains(region) }

}

/// Checks DNS names the way Route 53 and ACM accept them.
public enum DomainName {
    /// Why `name` is not a valid lowercase DNS name with at least two labels, or nil when it is.
    /// A leading `*.` label is accepted when `allowWildcard` is true.
    public static func problem(with name: String, allowWildcard: Bool = false) -> String? {
        var labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if allowWildcard, labels.first == "*" { labels.removeFirst() }
        if name.isEmpty { return "is empty" }
        if name.utf8.count > 253 { return "is longer than 253 characters" }
        if name.hasSuffix(".") { return "must not end with a dot" }
        if labels.count < 2 { return "needs at least two labels, like example.com" }
        for label in labels {
            if label.isEmpty { return "has an empty label" }
            if label.utf8.count > 63 { return "has a label longer than 63 characters ('\(label)')" }
            if label == "*" { return "may only use '*' as its first label" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "has a label that starts or ends with '-' ('\(label)')" }
            for byte in label.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                    continue
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    return "must be lowercase"
                default:
                    return "may only contain a-z, 0-9, '-' and '.'"
                }
            }
        }
        return nil
    }

    /// True when `name` equals `zone` or lies below it (`api.dev.example.com` in `dev.example.com`).
    public static func isWithin(_ name: String, zone: String) -> Bool {
        name == zone || name.hasSuffix("." + zone)
    }
}
