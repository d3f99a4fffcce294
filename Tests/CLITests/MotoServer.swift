import Foundation
import TestSupport
import Testing

/// A moto_server on a random loopback port, with one AWS CLI profile per account (credentials
/// from `sts assume-role`, which moto ties to the role's account). Stopped by its process id.
final class MotoServer {
    private(set) var endpoint = ""
    let scratch: TemporaryDirectory
    let aws: URL
    private(set) var environment: [String: String]
    private var server = Process()

    init?(profiles: [(name: String, account: String)]) throws {
        guard let motoServer = Command.which("moto_server"), let aws = Command.which("aws") else { return nil }
        self.aws = aws
        scratch = try TemporaryDirectory()
        environment = ProcessInfo.processInfo.environment
        // synth deploy runs the same aws the tests found (it may be in .build/tools/bin).
        environment["PATH"] = aws.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["AWS_DEFAULT_REGION"] = "eu-west-1"
        environment["AWS_ACCESS_KEY_ID"] = "bootstrap"
        environment["AWS_SECRET_ACCESS_KEY"] = "bootstrap"
        environment["AWS_CONFIG_FILE"] = scratch.url.appendingPathComponent("config").path
        try scratch.write("config", "")
        // A random port may be taken (it can be an ephemeral port of another connection): moto then
        // exits at once, and the server is started again on another port instead of waited for.
        var ready = false
        for _ in 0..<5 where !ready {
            let port = Int.random(in: 20_000...32_000)
            endpoint = "http://127.0.0.1:\(port)"
            server = Process()
            server.executableURL = motoServer
            server.arguments = ["-H", "127.0.0.1", "-p", String(port)]
            server.environment = ProcessInfo.processInfo.environment.filter { $0.key != "MOTO_ACCOUNT_ID" }
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            for _ in 0..<60 where !ready && server.isRunning {
                ready = try Command.run(aws, ["sts", "get-caller-identity", "--endpoint-url", endpoint], in: scratch.url, environment: environment).status == 0
                if !ready { Thread.sleep(forTimeInterval: 0.25) }
            }
            if !ready, server.isRunning { server.interrupt(); server.waitUntilExit() }
        }
        try #require(ready, "moto_server did not answer on \(endpoint)")
        var credentials = ""
        for (profile, account) in profiles {
            let result = try Command.run(
                aws, ["sts", "assume-role", "--role-arn", "arn:aws:iam::\(account):role/stratus-test", "--role-session-name", "stratus",
                      "--endpoint-url", endpoint, "--output", "json"], in: scratch.url, environment: environment)
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let issued = try #require(json?["Credentials"] as? [String: Any])
            credentials += "[\(profile)]\naws_access_key_id = \(issued["AccessKeyId"]!)\naws_secret_access_key = \(issued["SecretAccessKey"]!)\naws_session_token = \(issued["SessionToken"]!)\n\n"
        }
        try scratch.write("credentials", credentials)
        environment["AWS_ACCESS_KEY_ID"] = nil
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        environment["AWS_SHARED_CREDENTIALS_FILE"] = scratch.url.appendingPathComponent("credentials").path
    }

    deinit {
        // moto_server stops on SIGINT (it ignores SIGTERM); SIGKILL if it lingers.
        server.interrupt()
        for _ in 0..<40 where server.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        server.waitUntilExit()
    }

    /// `aws <arguments> --profile <profile> --endpoint-url <moto> --output json`, parsed.
    func json(_ arguments: [String], profile: String) throws -> [String: Any] {
        let result = try Command.run(aws, arguments + ["--profile", profile, "--endpoint-url", endpoint, "--output", "json"], in: scratch.url, environment: environment)
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    @discardableResult
    func run(_ arguments: [String], profile: String) throws -> CommandResult {
        try Command.run(aws, arguments + ["--profile", profile, "--endpoint-url", endpoint], in: scratch.url, environment: environment)
    }
}
