import CloudFormation
import Foundation
@testable import Plan
import Stacks
import Synthesis
import TestSupport
import Testing

/// plan.json's encoder writes what JSONEncoder writes, and hands anything it cannot write back.
@Suite struct SortedJSONTests {
    static func foundation<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    struct Leaf: Codable {
        var number: Int
        var absent: String?
        var texts: [String]
        var counts: [String: Int]
        var flag: Bool
        var small: UInt8
        var negative: Int64
        var nested: [[Int]]
        var empty: [String]
        var emptyMap: [String: String]
        var optionals: [Int?]
    }

    enum Kind: String, Codable { case first = "first-kind", second }

    struct Tree: Codable {
        var leaves: [Leaf]
        var kind: Kind
        var byKind: [String: [Kind]]
    }

    /// A custom encoding that writes a key twice and uses nested containers.
    struct Custom: Encodable {
        enum Keys: String, CodingKey { case a, b, list }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("first", forKey: .a)
            try container.encode("second", forKey: .a)
            var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .b)
            try inner.encodeNil(forKey: .a)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encode("x")
            _ = list.nestedContainer(keyedBy: Keys.self)
        }
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        let tricky = "q\"\\/\n\r\t\u{8}\u{c}\u{1}\u{1b}\u{1f}\u{7f} é 😀 \u{2028}"
        let leaf = Leaf(
            number: -42, absent: nil, texts: [tricky, "", "a/b"], counts: ["k10": 1, "k9": 2, "K9": 3, "_z": 4, "Z-1": 5, "z.2": 6, "é": 7],
            flag: true, small: 255, negative: Int64.min, nested: [[], [1, 2]], empty: [], emptyMap: [:], optionals: [1, nil])
        let tree = Tree(leaves: [leaf, leaf], kind: .first, byKind: ["x": [.first, .second], "": []])
        #expect(try SortedJSON.encode(tree) == Self.foundation(tree))
        #expect(try SortedJSON.encode(Custom()) == Self.foundation(Custom()))
        #expect(try SortedJSON.encode([String]()) == Self.foundation([String]()))
        #expect(try SortedJSON.encode("top") == Self.foundation("top"))
        #expect(try SortedJSON.encode(7) == Self.foundation(7))
    }

    @Test func handsBackWhatItCannotWrite() {
        struct Measured: Codable { var seconds: Double }
        #expect(throws: SortedJSON.Unsupported.self) { try SortedJSON.encode(Measured(seconds: 1.5)) }
        #expect(throws: SortedJSON.Unsupported.self) { try SortedJSON.encode([URL(fileURLWithPath: "/tmp")]) }
        #expect(throws: SortedJSON.Unsupported.self) { try SortedJSON.encode(["when": Date(timeIntervalSince1970: 0)]) }
    }

    /// Every environment's plan of this repository: written by SortedJSON (no fallback), and the
    /// same bytes as JSONEncoder's.
    @Test func everyPlanOfTheRepositoryIsTheSame() throws {
        let catalog = try EnvironmentCatalog(root: Repository.root)
        let organisation = try catalog.organisation()
        let environments = try catalog.environments(organisation: organisation)
        #expect(!environments.isEmpty)
        for environment in environments {
            let app = App(environment: environment, organisation: organisation, environments: environments, rootDirectory: Repository.root)
            Infrastructure.define(in: app)
            let plan = DeployPlan(try Synthesizer.synthesize(app))
            #expect(try SortedJSON.encode(plan) == Self.foundation(plan), "plan of \(environment.name)")
        }
    }
}
