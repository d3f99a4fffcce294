/// The shapes of AWS Organizations identifiers.
public enum OrganisationIds {
    /// 12 digits.
    public static func isAccountId(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `ou-` + 4 to 32 lowercase letters or digits + `-` + 8 to 32 lowercase letters or digits.
    public static func isOrganisationalUnit(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "ou" else { return false }
        func lowerAlphanumeric(_ part: Substring, _ range: ClosedRange<Int>) -> Bool {
            range.contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isNumber || ($0.isLetter && $0.isLowercase)) }
        }
        return lowerAlphanumeric(parts[1], 4...32) && lowerAlphanumeric(parts[2], 8...32)
    }

    /// `r-` + 4 to 32 lowercase letters or digits: the organisation's root.
    public static func isRoot(_ text: String) -> Bool {
        text.hasPrefix("r-") && (4...32).contains(text.count - 2) && text.dropFirst(2).allSatisfy { $0.isASCII && ($0.isNumber || ($0.isLetter && $0.isLowercase)) }
    }
}
