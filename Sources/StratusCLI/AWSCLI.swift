import Constructs
import Foundation
import Plan

/// A step that could not be done, in one sentence (and what to do about it).
struct StepFailure: Error {
    let message: String
    var hint: String? = nil
    /// The stack's status and the first failed resource event's reason, when CloudFormation has them.
    var stackStatus: String? = nil
}

/// Standard output and error shared by steps running at once: whole lines, each prefixed with
/// the step it is about.
final class Console: @unchecked Sendable {
    private let lock = NSLock()

    func say(_ step: String?, _ text: String) {
        lock.lock()
        defer { lock.unlock() }
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += (step.map { "[\($0)] \(line)" } ?? String(line)) + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func error(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}

/// Runs the aws CLI for plan steps: the account's profile, the step's region, the endpoint; with
/// `bootstrapRoles`, credentials of the bootstrap deploy role of the step's account and region.
final class AWSCLI: @unchecked Sendable {
    struct Result {
        let status: Int32
        let output: String
        let error: String
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] }
    }

    let profiles: [String: String]
    let endpointURL: String?
    let dryRun: Bool
    let bootstrapRoles: Bool
    let console: Console
    private let lock = NSLock()
    /// Assumed-role credentials by account/region.
    private var credentials: [String: [String: String]] = [:]

    init(profiles: [String: String], endpointURL: String?, dryRun: Bool, bootstrapRoles: Bool, console: Console) {
        self.profiles = profiles
        self.endpointURL = endpointURL
        self.dryRun = dryRun
        self.bootstrapRoles = bootstrapRoles
        self.console = console
    }

    func profile(of account: DeployPlan.AccountRef) -> String { profiles[account.id] ?? account.name }

    /// Runs `aws <arguments>` in `account` and `region`. Throws a StepFailure when it fails
    /// (unless `allowFailure`).
    @discardableResult
    func run(_ arguments: [String], account: DeployPlan.AccountRef, region: String, allowFailure: Bool = false) throws -> Result {
        var environment: [String: String]? = nil
        var full = arguments + ["--region", region]
        if bootstrapRoles {
            environment = try assumedRole(account: account, region: region)
        } else {
            full += ["--profile", profile(of: account)]
        }
        if let endpointURL { full += ["--endpoint-url", endpointURL] }
        if dryRun {
            console.say(nil, (["aws"] + full).map(Self.shellQuoted).joined(separator: " "))
            return Result(status: 0, output: "", error: "")
        }
        let result = try execute(full, environment: environment)
        if result.status != 0 && !allowFailure {
            throw StepFailure(message: "aws \(arguments.prefix(2).joined(separator: " ")) exited \(result.status): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result
    }

    /// Credentials of `stratus-deploy-<region>` in `account`, assumed with the account's profile
    /// (in CodeBuild, the build role's), as environment variables for the aws CLI.
    private func assumedRole(account: DeployPlan.AccountRef, region: String) throws -> [String: String] {
        let key = "\(account.id)/\(region)"
        lock.lock()
        if let known = credentials[key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let role = "arn:aws:iam::\(account.id):role/\(Bootstrap.deployRoleName(region: region))"
        var arguments = ["sts", "assume-role", "--role-arn", role, "--role-session-name", "stratus-deploy", "--output", "json",
                         "--region", region, "--profile", profile(of: account)]
        if let endpointURL { arguments += ["--endpoint-url", endpointURL] }
        if dryRun {
            console.say(nil, (["aws"] + arguments).map(Self.shellQuoted).joined(separator: " "))
            return [:]
        }
        let result = try execute(arguments, environment: nil)
        guard result.status == 0, let issued = result.json?["Credentials"] as? [String: Any],
            let keyId = issued["AccessKeyId"] as? String, let secret = issued["SecretAccessKey"] as? String
        else {
            throw StepFailure(
                message: "cannot assume \(role) with profile \(profile(of: account)): \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))",
                hint: "the bootstrap StackSet creates that role in every region it targets; check that its instance in \(account.name) \(region) is CURRENT")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["AWS_ACCESS_KEY_ID"] = keyId
        environment["AWS_SECRET_ACCESS_KEY"] = secret
        environment["AWS_SESSION_TOKEN"] = issued["SessionToken"] as? String
        environment["AWS_PROFILE"] = nil
        environment["AWS_DEFAULT_PROFILE"] = nil
        lock.lock()
        credentials[key] = environment
        lock.unlock()
        return environment
    }

    private func execute(_ arguments: [String], environment: [String: String]?) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["aws"] + arguments
        if let environment { process.environment = environment }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("synth-aws-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw StepFailure(message: "cannot create a scratch folder in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        guard let outHandle = try? FileHandle(forWritingTo: out), let errHandle = try? FileHandle(forWritingTo: err) else {
            throw StepFailure(message: "cannot capture the aws CLI's output in \(scratch.path)")
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw StepFailure(message: "cannot run the aws CLI", hint: "install it with pip install awscli (Scripts/setup does)")
        }
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
            error: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
    }

    static func shellQuoted(_ word: String) -> String {
        if !word.isEmpty, word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=,@+".contains($0)) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
