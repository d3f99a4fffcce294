import CloudFormation
import Testing

/// Renders `value` as the value of key `V`, the way it appears inside a template.
private func render(_ value: Value) -> String {
    TemplateRenderer.yaml(.object(Object([("V", value)])))
}

@Suite struct ValueRenderingTests {
    /// Value -> exact YAML for every literal kind and every intrinsic function.
    static var intrinsicCases: [(Value, String)] { [
        // Literals
        (Value.string("plain text"), "V: plain text\n"),
        (.int(42), "V: 42\n"),
        (.bool(true), "V: true\n"),
        (.double(0.5), "V: 0.5\n"),
        (.list(["a", "b"]), "V:\n- a\n- b\n"),
        (.list([]), "V: []\n"),
        (.object(Object([("B", "one"), ("A", "two")])), "V:\n  B: one\n  A: two\n"),
        // Intrinsics, short form
        (.ref("Zone"), "V: !Ref Zone\n"),
        (.accountId, "V: !Ref AWS::AccountId\n"),
        (.getAtt("Zone", "NameServers"), "V: !GetAtt Zone.NameServers\n"),
        (.getAtt("Db", "Endpoint.Address"), "V: !GetAtt [Db, Endpoint.Address]\n"),
        (.sub("arn:${AWS::Partition}:s3:::${Bucket}/*", Object()), "V: !Sub arn:${AWS::Partition}:s3:::${Bucket}/*\n"),
        (.sub("${Name}-x", Object([("Name", .ref("P"))])), "V: !Sub\n- ${Name}-x\n- Name: !Ref P\n"),
        (.join(",", .getAtt("Zone", "NameServers")), "V: !Join [',', !GetAtt Zone.NameServers]\n"),
        (.join("", ["a", .ref("B")]), "V: !Join ['', [a, !Ref B]]\n"),
        (.select(0, .getAZs("")), "V: !Select [0, !GetAZs '']\n"),
        (.split(",", .ref("List")), "V: !Split [',', !Ref List]\n"),
        (.if("IsProd", "big", .noValue), "V: !If\n- IsProd\n- big\n- !Ref AWS::NoValue\n"),
        (.equals(.ref("Env"), "prd"), "V: !Equals [!Ref Env, prd]\n"),
        (.not(.condition("IsProd")), "V: !Not [!Condition IsProd]\n"),
        (.and([.condition("A"), .condition("B")]), "V: !And [!Condition A, !Condition B]\n"),
        (.or([.condition("A"), .condition("B")]), "V: !Or [!Condition A, !Condition B]\n"),
        (.getAZs(.region), "V:\n  Fn::GetAZs: !Ref AWS::Region\n"),
        (.base64("#!/bin/sh"), "V: !Base64 '#!/bin/sh'\n"),
        (.base64(.sub("echo ${AWS::Region}", Object())), "V:\n  Fn::Base64: !Sub echo ${AWS::Region}\n"),
        (.cidr(.getAtt("Vpc", "CidrBlock"), 4, 8), "V: !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]\n"),
        (.findInMap("Regions", .region, "Ami"), "V: !FindInMap\n- Regions\n- !Ref AWS::Region\n- Ami\n"),
        (.if("C", .object(Object([("K", "v")])), .noValue), "V: !If\n- C\n- K: v\n- !Ref AWS::NoValue\n"),
    ] }

    @Test func rendersEveryIntrinsic() {
        for (value, expected) in Self.intrinsicCases {
            #expect(render(value) == expected)
        }
    }

    @Test(arguments: [
        // YAML 1.1 and 1.2 would read these as booleans, nulls, numbers or dates: quote them.
        ("yes", "V: 'yes'\n"), ("No", "V: 'No'\n"), ("on", "V: 'on'\n"), ("OFF", "V: 'OFF'\n"),
        ("y", "V: 'y'\n"), ("true", "V: 'true'\n"), ("False", "V: 'False'\n"),
        ("null", "V: 'null'\n"), ("~", "V: '~'\n"), ("", "V: ''\n"),
        ("123", "V: '123'\n"), ("012345678901", "V: '012345678901'\n"), ("-1", "V: '-1'\n"),
        ("2.0", "V: '2.0'\n"), ("1e3", "V: '1e3'\n"), (".5", "V: '.5'\n"), (".inf", "V: '.inf'\n"),
        ("0x1F", "V: '0x1F'\n"), ("0o17", "V: '0o17'\n"), ("1_000", "V: '1_000'\n"), ("1:20", "V: '1:20'\n"),
        ("2012-10-17", "V: '2012-10-17'\n"), ("2001-12-14t21:59:43.10-05:00", "V: '2001-12-14t21:59:43.10-05:00'\n"),
        ("<<", "V: '<<'\n"), ("=", "V: '='\n"),
        // Syntax that libyaml quotes by itself.
        ("*", "V: '*'\n"), ("a: b", "V: 'a: b'\n"), ("#comment", "V: '#comment'\n"), (" lead", "V: ' lead'\n"),
        ("it's", "V: it's\n"), ("!Ref X", "V: '!Ref X'\n"), ("{x}", "V: '{x}'\n"), ("- item", "V: '- item'\n"),
        // Strings that stay plain.
        ("10.0.0.0/16", "V: 10.0.0.0/16\n"), ("python3.12", "V: python3.12\n"), ("yesterday", "V: yesterday\n"),
        ("eu-west-1", "V: eu-west-1\n"), ("dev.example.com", "V: dev.example.com\n"), ("$default", "V: $default\n"),
        ("GET /games/{gameId}/questions", "V: GET /games/{gameId}/questions\n"), ("héllo wörld", "V: héllo wörld\n"),
        // Multi-line strings are literal blocks.
        ("line one\nline two\n", "V: |\n  line one\n  line two\n"),
        ("no final newline\nsecond", "V: |-\n  no final newline\n  second\n"),
    ])
    func quotesStringsThatWouldChangeType(_ text: String, _ expected: String) {
        #expect(render(.string(text)) == expected)
    }

    @Test func keysAreQuotedLikeValues() {
        #expect(render(.object(Object([("yes", "x"), ("123", "z")]))) == "V:\n  'yes': x\n  '123': z\n")
    }

    @Test func longLinesAreNotWrapped() {
        let long = Array(repeating: "word", count: 60).joined(separator: " ")
        #expect(render(.string(long)) == "V: \(long)\n")
    }

    @Test func tokensAreFoundAndResolved() {
        final class Fake: Token {
            var isList: Bool { false }
            var displayName: String { "fake" }
        }
        let token = Fake()
        let value: Value = .object(Object([("A", .list([.token(token)])), ("B", .sub("${X}", Object([("X", .token(token))])))]))
        #expect(value.containsToken)
        var count = 0
        value.forEachToken { _ in count += 1 }
        #expect(count == 2)
        let resolved = value.resolvingTokens { _ in .ref("Resolved") }
        #expect(!resolved.containsToken)
        #expect(render(resolved) == "V:\n  A:\n  - !Ref Resolved\n  B: !Sub\n  - ${X}\n  - X: !Ref Resolved\n")
    }
}
