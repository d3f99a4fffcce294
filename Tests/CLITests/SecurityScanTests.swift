import Foundation
import Plan
import TestSupport
import Testing

/// The scanners platform teams run over CloudFormation, run over the committed `out/` (which
/// `SynthCommandTests.committedOutIsWhatTheCodeProduces` keeps equal to what the code produces):
/// checkov with its default checks, and AWS's offline validator `cloudformation-validate`, each
/// template against the region its plan deploys it to. `Scripts/setup --scanners` installs both
/// into their own virtual environment.
@Suite(.serialized) struct SecurityScanTests {
    /// The scanners' virtual environment: `STRATUS_SCANNERS_VENV`, or where `Scripts/setup` puts it.
    static var scannerEnvironment: URL {
        if let folder = ProcessInfo.processInfo.environment["STRATUS_SCANNERS_VENV"], !folder.isEmpty {
            return URL(fileURLWithPath: folder, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/stratus/scanners", isDirectory: true)
    }

    static func scanner(_ name: String) -> URL? {
        let installed = scannerEnvironment.appendingPathComponent("bin").appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: installed.path) { return installed }
        return Command.which(name)
    }

    /// Every template of `out/`, with the region it deploys to (a StackSet's template: each region
    /// it rolls out to), from the plans.
    static func templatesByRegion() throws -> [String: [String]] {
        var byRegion: [String: Set<String>] = [:]
        let out = Repository.root.appendingPathComponent("out")
        for environment in try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() where !environment.hasPrefix(".") && !environment.hasSuffix(".md") {
            let folder = out.appendingPathComponent(environment)
            let plan = try JSONDecoder().decode(DeployPlan.self, from: Data(contentsOf: folder.appendingPathComponent("plan.json")))
            for step in plan.stackSteps {
                if let template = step.template { byRegion[step.region, default: []].insert(folder.appendingPathComponent(template).path) }
            }
            for set in plan.stackSets {
                for region in set.regions { byRegion[region, default: []].insert(folder.appendingPathComponent(set.template).path) }
            }
        }
        return byRegion.mapValues { $0.sorted() }
    }

    /// What checkov says about one check on one resource.
    struct Finding {
        let check: String
        let resource: String
        let file: String
        let comment: String?
    }

    /// checkov's failed and skipped checks over `out/` (default checks, CloudFormation only).
    static func checkov() throws -> (failed: [Finding], skipped: [Finding], passed: Int)? {
        guard let checkov = scanner("checkov") else { return nil }
        var environment = ProcessInfo.processInfo.environment
        environment["BC_SKIP_MAPPING"] = "TRUE"   // no download of guideline mappings (offline)
        environment["CHECKOV_NO_OUTPUT_DOWNLOAD"] = "TRUE"
        let result = try Command.run(
            checkov, ["--directory", "out", "--framework", "cloudformation", "--output", "json", "--compact", "--skip-download"],
            in: Repository.root, environment: environment)
        guard let data = result.stdout.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) else {
            Issue.record("checkov printed no JSON (exit \(result.status)):\n\(result.stdout.prefix(2000))\(result.stderr.prefix(2000))")
            return ([], [], 0)
        }
        let reports = (json as? [[String: Any]]) ?? [(json as? [String: Any]) ?? [:]]
        var failed: [Finding] = []
        var skipped: [Finding] = []
        var passed = 0
        for report in reports {
            passed += ((report["summary"] as? [String: Any])?["passed"] as? Int) ?? 0
            let results = report["results"] as? [String: Any] ?? [:]
            func findings(_ key: String) -> [Finding] {
                (results[key] as? [[String: Any]] ?? []).map { check in
                    Finding(
                        check: check["check_id"] as? String ?? "?", resource: check["resource"] as? String ?? "?",
                        file: check["file_path"] as? String ?? "?",
                        comment: (check["check_result"] as? [String: Any])?["suppress_comment"] as? String)
                }
            }
            failed += findings("failed_checks")
            skipped += findings("skipped_checks")
        }
        return (failed, skipped, passed)
    }

    @Test func checkovFindsNothingUnjustified() throws {
        guard let scan = try Self.checkov() else {
            Issue.record("checkov is not installed: run Scripts/setup --scanners (CI does)")
            return
        }
        #expect(scan.passed > 0, "checkov checked nothing")
        for finding in scan.failed {
            Issue.record("checkov \(finding.check) fails on \(finding.resource) in out\(finding.file): fix it with a secure default, or justify it in the construct (resource.justify)")
        }
        // Every suppression carries a reason of at least a sentence.
        #expect(!scan.skipped.isEmpty, "no check is justified anywhere: does checkov still read Metadata?")
        for finding in scan.skipped {
            let comment = finding.comment ?? ""
            #expect(
                comment.count >= 40 && comment.hasSuffix(".") && comment.contains(" "),
                "checkov \(finding.check) on \(finding.resource) in out\(finding.file) is skipped without a sentence saying why: '\(comment)'")
        }
    }

    @Test func everyTemplatePassesCloudFormationValidate() throws {
        let python = Self.scannerEnvironment.appendingPathComponent("bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("cloudformation-validate is not installed: run Scripts/setup --scanners (CI does)")
            return
        }
        let script = Repository.root.appendingPathComponent("Scripts/cfn-validate").path
        let byRegion = try Self.templatesByRegion()
        #expect(!byRegion.isEmpty)
        for (region, templates) in byRegion.sorted(by: { $0.key < $1.key }) {
            // Errors and warnings: informational findings (tags, context metadata) are the
            // validator's own conventions, which Stratus does not adopt.
            let result = try Command.run(python, [script, "--region", region, "--severity", "WARN"] + templates, in: Repository.root)
            #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty,
                    "cloudformation-validate (\(region)) exit \(result.status):\n\(result.stdout)\(result.stderr)")
        }
    }

    @Test func cfnValidateFailsOnAnError() throws {
        let python = Self.scannerEnvironment.appendingPathComponent("bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            Issue.record("cloudformation-validate is not installed: run Scripts/setup --scanners (CI does)")
            return
        }
        // A control case: the script must not pass a broken template.
        let folder = try TemporaryDirectory()
        try folder.write("broken.yaml", "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: lots\n")
        let result = try Command.run(
            python, [Repository.root.appendingPathComponent("Scripts/cfn-validate").path, "--region", "eu-west-1", folder.url.appendingPathComponent("broken.yaml").path],
            in: folder.url)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ERROR") || result.stdout.contains("FATAL"), "\(result.stdout)")
    }

    /// The plans list every justification checkov sees, so the platform team can review them in
    /// plan.md and review.md without reading YAML.
    @Test func everyJustificationInTheTemplatesIsInThePlan() throws {
        let out = Repository.root.appendingPathComponent("out")
        var planned = Set<String>()
        for environment in try FileManager.default.contentsOfDirectory(atPath: out.path) where !environment.hasPrefix(".") && !environment.hasSuffix(".md") {
            let plan = try JSONDecoder().decode(DeployPlan.self, from: Data(contentsOf: out.appendingPathComponent(environment).appendingPathComponent("plan.json")))
            for record in plan.securityDecisions ?? [] where record.decision == .justified {
                planned.insert("\(record.stack).template.yaml \(record.logicalId) \(record.check)")
            }
            let markdown = try String(contentsOf: out.appendingPathComponent(environment).appendingPathComponent("plan.md"), encoding: .utf8)
            if !(plan.securityDecisions ?? []).isEmpty { #expect(markdown.contains("### Security decisions\n"), "\(environment)/plan.md") }
        }
        let review = try String(contentsOf: out.appendingPathComponent("review.md"), encoding: .utf8)
        #expect(review.contains("## Security decisions\n"))
        guard let scan = try Self.checkov() else {
            Issue.record("checkov is not installed: run Scripts/setup --scanners (CI does)")
            return
        }
        for finding in scan.skipped {
            let file = URL(fileURLWithPath: finding.file).lastPathComponent
            let logicalId = finding.resource.split(separator: ".").last.map(String.init) ?? finding.resource
            #expect(planned.contains("\(file) \(logicalId) \(finding.check)"), "\(finding.check) on \(finding.resource) (\(file)) is skipped but not in the plan")
        }
    }
}
