import CloudFormation
import Testing

/// The byte-level replacement hot paths use instead of Foundation's replacingOccurrences.
@Suite struct ReplacingBytesTests {
    @Test(arguments: [
        ("${A} and ${A}", "${A}", "${B.Arn}", "${B.Arn} and ${B.Arn}"),
        ("a|b||c", "|", "\\|", "a\\|b\\|\\|c"),
        ("no match", "${X}", "y", "no match"),
        ("", "x", "y", ""),
        ("é \"q\" 😀", "\"", "\\\"", "é \\\"q\\\" 😀"),
        ("aaa", "aa", "b", "ba"),
    ])
    func replacesEveryOccurrenceLeftToRight(text: String, target: String, replacement: String, expected: String) {
        #expect(text.replacingBytes(of: target, with: replacement) == expected)
    }
}
