import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport
import Testing

/// Every error a state machine's definition can raise, in full.
@Suite struct StateMachineErrorTests {
    /// Synthesizes one state machine whose definition is `definition`, with the repository's
    /// files in `files` (path -> text); returns the full error text ("" when it synthesizes).
    static func errors(_ definition: StateMachineDefinition, files: [String: String] = [:], substitutions: KeyValuePairs<String, Value> = [:]) throws -> String {
        let directory = try TemporaryDirectory()
        for (path, text) in files { try directory.write("repo/\(path)", text) }
        try directory.write("outside.asl.json", #"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("repo/machines"), withIntermediateDirectories: true)
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url.appendingPathComponent("repo"))
        StateMachine(in: Stack(in: app, "Test"), "Cleanup", definition: definition, substitutions: substitutions, line: 9)
        do {
            _ = try Synthesizer.synthesize(app)
            return ""
        } catch let error as DiagnosticError {
            return error.description
        }
    }

    @Test func missingFile() throws {
        #expect(try Self.errors(.file("machines/cleanup.asl.json")) == """
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition file 'machines/cleanup.asl.json' does not exist
              hint: give a file relative to the repository root, e.g. Stacks/StateMachines/cleanup.asl.json
            """)
    }

    @Test func fileOutsideTheRepository() throws {
        for path in ["../outside.asl.json", "/etc/hostname"] {
            #expect(try Self.errors(.file(path)) == """
                ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition file '\(path)' is outside the repository
                  hint: give a file inside the repository, relative to its root, e.g. Stacks/StateMachines/cleanup.asl.json
                """)
        }
    }

    @Test func aLinkOutOfTheRepositoryIsOutside() throws {
        let directory = try TemporaryDirectory()
        try directory.write("outside.asl.json", #"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#)
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("repo"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.url.appendingPathComponent("repo/linked.asl.json").path, withDestinationPath: "../outside.asl.json")
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url.appendingPathComponent("repo"))
        StateMachine(in: Stack(in: app, "Test"), "Cleanup", definition: .file("linked.asl.json"), line: 9)
        #expect(throws: DiagnosticError.self) { try Synthesizer.synthesize(app) }
        do { _ = try Synthesizer.synthesize(app) } catch let error as DiagnosticError {
            #expect(error.description.hasPrefix("ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition file 'linked.asl.json' is outside the repository\n"))
        }
    }

    @Test func aFolderIsNotADefinition() throws {
        #expect(try Self.errors(.file("machines")) == """
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: cannot read the state machine definition: 'machines' is a folder, not a file
              hint: a file is expected here: move the folder away
            """)
    }

    @Test func invalidJSONInAFilePointsAtItsLineAndColumn() throws {
        let text = "{\n  \"StartAt\": \"Sweep\",\n  \"States\": {\n    \"Sweep\": {\"Type\": \"Succeed\"}\n    \"Done\": {\"Type\": \"Succeed\"}\n  }\n}\n"
        #expect(try Self.errors(.file("machines/cleanup.asl.json"), files: ["machines/cleanup.asl.json": text]) == """
            machines/cleanup.asl.json:5:5: error: dev/Test/Cleanup: state machine definition 'machines/cleanup.asl.json' is not valid JSON: expected ',' or '}' after an object member, found '"'
              hint: Step Functions definitions are Amazon States Language, in JSON: fix the text, or check it with the Workflow Studio of the console
            """)
    }

    @Test(arguments: [
        ("  ", "unexpected end of text, expected a value", 1, 3),
        ("{\"StartAt\": \"A\",}", "a trailing comma before '}' is not allowed", 1, 17),
        ("{'StartAt': 1}", "member names must be in double quotes, not single quotes", 1, 2),
        ("{\"A\": 01}", "numbers must not have leading zeros", 1, 7),
        ("{\"A\": [1, 2,]}", "a trailing comma before ']' is not allowed", 1, 13),
        ("{\"A\": \"x\ny\"}", "a string must not span lines (write \\n)", 1, 9),
        ("{\"A\": \"\\q\"}", "'\\q' is not a JSON escape (use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)", 1, 9),
        ("{\"A\": tru}", "expected a value (a string, number, object, array, true, false or null)", 1, 7),
        ("{\"A\": 1, \"A\": 2}", "member \"A\" appears twice in one object", 1, 10),
        ("{\"A\": 1} x", "unexpected 'x' after the end of the JSON value", 1, 10),
        ("{\"A\" 1}", "expected ':' after the member name \"A\"", 1, 6),
        ("{\"é\": [1 2]}", "expected ',' or ']' after an array element, found '2'", 1, 10),
    ])
    func invalidJSONInAStringSaysWhereInTheString(_ text: String, _ reason: String, _ line: Int, _ column: Int) throws {
        #expect(try Self.errors(.string(text)) == """
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition string is not valid JSON: \(reason) (line \(line), column \(column) of the string)
              hint: Step Functions definitions are Amazon States Language, in JSON: fix the text, or check it with the Workflow Studio of the console
            """)
    }

    @Test func deepNestingIsRefusedNotACrash() throws {
        let text = String(repeating: "[", count: 100_000)
        #expect(try Self.errors(.string(text)).contains("is not valid JSON: nested more than 512 levels deep (line 1, column 513 of the string)"))
    }

    @Test func definitionWithoutStartAtOrStates() throws {
        #expect(try Self.errors(.string(#"{"Comment": "nothing", "States": {}}"#)) == """
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition string needs a "StartAt" string and a non-empty "States" object
              hint: e.g. {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}
            """)
    }

    @Test func startAtAndNextMustNameStates() throws {
        let text = "{\n  \"StartAt\": \"Sweap\",\n  \"States\": {\n    \"Sweep\": {\"Type\": \"Pass\", \"Next\": \"Dnoe\"},\n    \"Done\": {\"Type\": \"Succeed\"}\n  }\n}\n"
        #expect(try Self.errors(.file("machines/cleanup.asl.json"), files: ["machines/cleanup.asl.json": text]) == """
            machines/cleanup.asl.json:2:3: error: dev/Test/Cleanup: state machine definition 'machines/cleanup.asl.json' starts at 'Sweap', which is not one of its states (Sweep, Done)
              hint: make StartAt the name of the first state
            machines/cleanup.asl.json:4:31: error: dev/Test/Cleanup: state 'Sweep' of definition 'machines/cleanup.asl.json' goes to 'Dnoe', which is not one of its states (Sweep, Done)
              hint: make Next the name of a state in States, or end the state with "End": true
            """)
    }

    @Test func placeholdersNeedSubstitutions() throws {
        let text = #"{"StartAt": "Sweep", "States": {"Sweep": {"Type": "Task", "Resource": "${SweepArn}", "Next": "Log"}, "Log": {"Type": "Task", "Resource": "arn:${AWS::Partition}:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "${QueueUrl}"}, "End": true}}}"#
        #expect(try Self.errors(.string(text), substitutions: ["QueueUrl": "https://example.com/q"]) == """
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition string uses ${AWS::Partition}, which substitutions: does not give
              hint: CloudFormation replaces only substitutions in a definition: write the value itself (service integrations are arn:aws:states:::...), or write ${Partition} and pass substitutions: ["Partition": .partition]
            ConstructsTests/StateMachineErrorTests.swift:9: error: dev/Test/Cleanup: state machine definition string uses ${SweepArn}, which substitutions: does not give
              hint: pass substitutions: ["SweepArn": ...] (a function's arn, a table's name), or remove the placeholder
            """)
    }
}
