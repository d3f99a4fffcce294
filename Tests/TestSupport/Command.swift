import Foundation

/// Runs a program and captures its exit status and output.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Command {
    /// Runs `executable` with `arguments` in `directory`; output goes through files, so a chatty
    /// program cannot block on a full pipe.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> CommandResult {
        let scratch = try TemporaryDirectory()
        let out = scratch.url.appendingPathComponent("stdout")
        let err = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CommandResult(
            status: process.terminationStatus,
            stdout: scratch.read("stdout") ?? "",
            stderr: scratch.read("stderr") ?? "")
    }

    /// Starts `executable` once per argument list, all at once, and waits for every one.
    public static func runTogether(_ executable: URL, _ argumentLists: [[String]], in directory: URL) throws -> [CommandResult] {
        let scratch = try TemporaryDirectory()
        var processes: [Process] = []
        for (index, arguments) in argumentLists.enumerated() {
            let out = scratch.url.appendingPathComponent("stdout\(index)")
            let err = scratch.url.appendingPathComponent("stderr\(index)")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            process.standardInput = FileHandle.nullDevice
            processes.append(process)
        }
        for process in processes { try process.run() }
        return processes.enumerated().map { index, process in
            process.waitUntilExit()
            return CommandResult(status: process.terminationStatus, stdout: scratch.read("stdout\(index)") ?? "", stderr: scratch.read("stderr\(index)") ?? "")
        }
    }

    /// The executable called `name` in `.build/tools/bin`, where Scripts/setup installs the
    /// Python tools (cfn-lint, aws, moto_server, and the python3 that has cfn-lint's schemas), or
    /// else the first on PATH.
    public static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in [Substring(Repository.toolsDirectory.path)] + path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
