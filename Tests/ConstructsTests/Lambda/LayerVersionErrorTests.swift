import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport
import Testing

/// Every error of layers and of a function's asynchronous settings, in full.
@Suite struct LayerVersionErrorTests {
    static func errors(_ body: (App, Stack) -> Void) throws -> String {
        let directory = try TemporaryDirectory()
        try directory.write("layers/shared/python/shared.py", "X = 1\n")
        let base = Fixtures.app()
        let app = App(environment: base.environment, organisation: base.organisation, rootDirectory: directory.url)
        body(app, Stack(in: app, "Test"))
        do {
            _ = try Synthesizer.synthesize(app)
            return ""
        } catch let error as DiagnosticError {
            return error.description
        }
    }

    @Test func layerForAnotherRuntimeOrArchitecture() throws {
        #expect(try Self.errors { _, stack in
            let layer = LayerVersion(in: stack, "Shared", code: "layers/shared", compatibleRuntimes: [.python312, .python313], line: 3)
            Function(in: stack, "Node", runtime: .nodejs22, handler: "index.handler", code: .inline("x"), layers: [layer], line: 4)
            Function(in: stack, "Intel", handler: "index.handler", code: .inline("x"), architecture: .x86_64, layers: [layer], line: 5)
        } == """
            ConstructsTests/LayerVersionErrorTests.swift:4: error: dev/Test/Node: layer dev/Test/Shared is for python3.12, python3.13, not this function's runtime nodejs22.x
              hint: add .nodejs22 to the layer's compatibleRuntimes if its code runs there, or use a layer built for nodejs22.x
            ConstructsTests/LayerVersionErrorTests.swift:5: error: dev/Test/Intel: layer dev/Test/Shared is built for arm64, not this function's architecture x86_64
              hint: add .x86_64 to the layer's compatibleArchitectures if its code has no native parts, or build it for x86_64
            """)
    }

    @Test func layerWithoutRuntimesOrArchitecturesOrCode() throws {
        #expect(try Self.errors { _, stack in
            LayerVersion(in: stack, "Bare", code: "layers/shared", compatibleRuntimes: [], compatibleArchitectures: [], line: 6)
            LayerVersion(in: stack, "Missing", code: "layers/nowhere", compatibleRuntimes: [.python313], line: 7)
        } == """
            ConstructsTests/LayerVersionErrorTests.swift:6: error: dev/Test/Bare: layer lists no compatible architectures
              hint: name the instruction sets its code runs on: [.arm64], [.x86_64] or both
            ConstructsTests/LayerVersionErrorTests.swift:6: error: dev/Test/Bare: layer lists no compatible runtimes
              hint: name the runtimes its code runs on, e.g. compatibleRuntimes: [.python313]
            ConstructsTests/LayerVersionErrorTests.swift:7: error: dev/Test/Missing: code folder 'layers/nowhere' does not exist
              hint: give a folder relative to the repository root, e.g. Stacks/Functions/quiz/games
            """)
    }

    @Test func sixLayersAreTooMany() throws {
        let text = try Self.errors { _, stack in
            let layers = (1...6).map { LayerVersion(in: stack, "Layer\($0)", code: "layers/shared", compatibleRuntimes: [.python313]) }
            Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"), layers: layers, line: 8)
        }
        #expect(text == """
            ConstructsTests/LayerVersionErrorTests.swift:8: error: dev/Test/Fn: function uses 6 layers; Lambda allows at most 5
              hint: merge layers, or move code into the function's folder
            """)
    }

    @Test func asynchronousSettingsOutOfRange() throws {
        #expect(try Self.errors { _, stack in
            Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"), maximumRetryAttempts: 3, maximumEventAge: 30, line: 9)
        } == """
            ConstructsTests/LayerVersionErrorTests.swift:9: error: dev/Test/Fn: maximum event age 30 s is outside 60...21600
              hint: leave it out for Lambda's 6 hours
            ConstructsTests/LayerVersionErrorTests.swift:9: error: dev/Test/Fn: maximum retry attempts 3 is outside 0...2
              hint: Lambda retries a failed asynchronous invocation at most twice (the default)
            """)
    }

    @Test func environmentKeyWithoutVariables() throws {
        #expect(try Self.errors { _, stack in
            let key = KmsKey(in: stack, "Settings", alias: "alias/dev-settings")
            Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"), environmentKey: key, line: 11)
        } == """
            ConstructsTests/LayerVersionErrorTests.swift:11: error: dev/Test/Fn: environmentKey dev/Test/Settings is given, but the function has no environment variables to encrypt
              hint: drop environmentKey:, or pass the variables with environment:
            """)
    }

    @Test func onFailureDestinationInAnotherAccount() throws {
        let text = try Self.errors { app, stack in
            let elsewhere = Stack(in: app, "Shared", account: app.organisation.cicd)
            let failures = Queue(in: elsewhere, "Failures")
            Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"), onFailure: .queue(failures), line: 10)
        }
        // The grants' own cross-account error (its wording and location are the grants' business).
        #expect(text.contains("error: dev/Test/Fn: grantSend on dev/Shared/Failures cross"), "\(text)")
    }
}
