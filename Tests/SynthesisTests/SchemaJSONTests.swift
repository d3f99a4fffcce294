@testable import Synthesis
import Testing

/// The reader of the schema data's JSON: what it reads, that it refuses what it cannot read
/// without trapping, and that every schema of the data compiles.
@Suite struct SchemaJSONTests {
    /// Runs `body` with a reader of `text`; nil when the reader threw or did not read it all.
    func read<T>(_ text: String, _ body: (inout SchemaJSON) throws -> T) -> T? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var reader = SchemaJSON(buffer, range: 0..<bytes.count)
            guard let value = try? body(&reader), reader.isAtEnd else { return nil }
            return value
        }
    }

    @Test func stringsWithEveryEscape() {
        #expect(read(#""plain""#) { try $0.string() } == "plain")
        #expect(read(#""a\"b\\c\/d\ne\tf\rg\bh\fi""#) { try $0.string() } == "a\"b\\c/d\ne\tf\rg\u{8}h\u{C}i")
        #expect(read(#""caf\u00e9 \u2014 \ud83d\ude00""#) { try $0.string() } == "café — 😀")
        #expect(read(#""^[\\w+=,.@-]+$""#) { try $0.string() } == #"^[\w+=,.@-]+$"#)
        // A lone surrogate becomes the replacement character rather than invalid text.
        #expect(read(#""\ud83d!""#) { try $0.string() } == "\u{FFFD}!")
    }

    @Test func scalarsAsWritten() {
        #expect(read("[5,-1.5,true,false,null,\"x\"]") { json in
            var texts: [String] = []
            try json.array { texts.append(try $0.scalarText()) }
            return texts
        } == ["5", "-1.5", "true", "false", "null", "x"])
        #expect(read("1e3") { try $0.number() } == 1000)
        #expect(read("12") { try $0.integer() } == 12)
        #expect(read("1.5") { try $0.integer() } == .some(nil))
        #expect(read(" { \"a\" : [ 1 , 2 ] } ") { json -> [String] in
            var keys: [String] = []
            try json.object { json, key in keys.append(key); try json.skip() }
            return keys
        } == ["a"])
    }

    @Test func skipsNestedValues() {
        let text = #"{"a":{"b":[1,{"c":"}]\"{"}],"d":null},"e":"f"}"#
        #expect(read(text) { json -> [String] in
            var keys: [String] = []
            try json.object { json, key in
                keys.append(key)
                if key == "e" { keys.append(try json.string()) } else { try json.skip() }
            }
            return keys
        } == ["a", "e", "f"])
    }

    @Test func malformedInputThrowsInsteadOfTrapping() {
        for text in ["", "{", "{\"a\"", "{\"a\":", "{\"a\":1,}", "[1,", "\"open", "{\"a\":1}x", "}", "-", "[1 2]", "nul"] {
            #expect(read(text) { try $0.skip() } == nil, "\(text)")
        }
        // Skipping a string does not decode it; reading one checks its escapes.
        for text in ["\"bad \\q\"", "\"\\u12\"", "\"\\u12G4\"", "\"open\\"] {
            #expect(read(text) { try $0.string() } == nil, "\(text)")
        }
        #expect(read("12") { try $0.string() } == nil)
        #expect(read("\"12\"") { try $0.number() } == nil)
    }

    @Test func readsOnlyItsRange() {
        let bytes = Array(#"xx"in"yy"#.utf8)
        let text = bytes.withUnsafeBufferPointer { buffer -> String? in
            var reader = SchemaJSON(buffer, range: 2..<6)
            return try? reader.string()
        }
        #expect(text == "in")
        // A range past the buffer's end is cut to it, so reading stops there.
        let cut = bytes.withUnsafeBufferPointer { buffer -> String? in
            var reader = SchemaJSON(buffer, range: 6..<100)
            return try? reader.string()
        }
        #expect(cut == nil)
    }

    /// Every header, property and definition of every type in the data compiles, and so does
    /// every nested property schema: a fragment the reader could not read would make the
    /// validator report a property that exists as unknown.
    @Test func everySchemaOfTheDataCompiles() throws {
        let index = try #require(ResourceSchemaData.index())
        var services: [String: ResourceSchemaData.Service] = [:]
        var failures: [String] = []
        var nodes = 0
        func compileNested(_ node: SchemaNode, _ path: String) {
            nodes += 1
            if let properties = node.properties {
                for name in properties.names {
                    guard let sub = properties[name] else { failures.append("\(path).\(name)"); continue }
                    compileNested(sub, "\(path).\(name)")
                }
            }
            for (index, branch) in (node.allOf + node.anyOf).enumerated() { compileNested(branch, "\(path)#\(index)") }
            if let items = node.items { compileNested(items, "\(path)[]") }
            if let additional = node.additional { compileNested(additional, "\(path).*") }
        }
        for type in index.typeNames {
            let service = String(type.split(separator: ":")[1])
            if services[service] == nil { services[service] = ResourceSchemaData.service(service) }
            guard let file = services[service], let block = file.blocks[type] else { failures.append(type); continue }
            guard let schema = SchemaValidator.TypeSchema(service: file, block: block) else { failures.append("\(type) header"); continue }
            let parts = file.parts(ofBlock: block)
            #expect(Set(schema.properties.names) == Set(parts.properties.keys), "\(type)")
            for name in schema.properties.names {
                guard let node = schema.properties[name] else { failures.append("\(type).\(name)"); continue }
                compileNested(node, "\(type).\(name)")
            }
            for name in parts.definitions.keys.sorted() {
                guard let node = schema.definition(name) else { failures.append("\(type) definition \(name)"); continue }
                compileNested(node, "\(type)/\(name)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20))")
        #expect(index.typeNames.count > 1_500)
        #expect(nodes > 50_000)
    }
}
