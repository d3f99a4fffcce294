import CloudFormation
import Foundation
import Plan
import Synthesis

/// Environments and apps for tests, independent of the repository's Environments/ files.
public enum Fixtures {
    public static let organisation = Organisation(
        domain: "example.com",
        management: Account(name: "management", id: "900000000001", region: "eu-west-1"),
        network: Account(name: "network", id: "900000000002", region: "eu-west-1"),
        cicd: Account(name: "cicd", id: "900000000003", region: "eu-west-1"),
        file: "Environments/organisation.yaml")

    public static func environment(_ name: String = "dev", account: String = "800000000001", region: String = "eu-west-1", tier: Tier = .development) -> Environment {
        Environment(
            name: name, account: Account(name: name, id: account, region: region),
            domain: "\(name).example.com", file: "Environments/\(name).yaml", organisationalUnit: "ou-test-\(name)00001", tier: tier)
    }

    /// tst, dev and prd, as the repository has them.
    public static var environments: [Environment] {
        [environment("tst", account: "800000000003"), environment("dev", account: "800000000001"), environment("prd", account: "800000000002")]
    }

    /// A fresh app for `environment`.
    public static func app(_ environment: Environment = environment()) -> App {
        App(environment: environment, organisation: organisation, environments: environments, rootDirectory: Repository.root)
    }

    /// Builds an app with `body` and synthesizes it.
    public static func synthesize(_ environment: Environment = environment(), _ body: (App) -> Void) throws -> SynthesizedApp {
        let app = app(environment)
        body(app)
        return try Synthesizer.synthesize(app)
    }

    /// The diagnostics synthesizing `body` fails with; an empty list when it succeeds.
    public static func diagnostics(_ body: (App) -> Void) -> [Diagnostic] {
        do {
            _ = try synthesize(environment(), body)
            return []
        } catch let error as DiagnosticError {
            return error.diagnostics
        } catch {
            return [Diagnostic("unexpected error \(error)")]
        }
    }

    /// The rendered template of the stack named `stackName` (`dev-Test`).
    public static func yaml(_ app: SynthesizedApp, _ stackName: String) -> String {
        guard let stack = app.stack(named: stackName) else { return "no stack \(stackName)" }
        return TemplateRenderer.yaml(stack.template)
    }
}

/// A temporary folder removed when the value is deinitialised.
public final class TemporaryDirectory {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stratus-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func write(_ path: String, _ text: String) throws {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    public func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: url.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Locations in the repository the tests run from.
public enum Repository {
    /// The repository root, found from this file's path.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where Scripts/setup installs the Python tools the tests use.
    public static let toolsDirectory: URL = root.appendingPathComponent(".build/tools/bin")

    /// The `synth` executable built beside the test bundle (or in .build/debug).
    public static let synthExecutable: URL = {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("synth")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return root.appendingPathComponent(".build/debug/synth")
    }()

    /// A temporary copy of the repository's `folders` (by default Environments/, Stacks/ and out/).
    public static func copy(_ folders: [String] = ["Environments", "Stacks", "out"]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for folder in folders where FileManager.default.fileExists(atPath: root.appendingPathComponent(folder).path) {
            try FileManager.default.copyItem(at: root.appendingPathComponent(folder), to: directory.url.appendingPathComponent(folder))
        }
        return directory
    }

    /// Every regular file below `folder`, relative to it, with its bytes.
    public static func snapshot(of folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return files }
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let url = folder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[path] = FileManager.default.contents(atPath: url.path)
            }
        }
        return files
    }
}
