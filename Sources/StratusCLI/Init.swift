import ArgumentParser
import CloudFormation
import Foundation
import Synthesis

/// `synth init <folder>`: a new repository that uses Stratus as a package and synthesizes at once.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Writes a new repository skeleton that depends on Stratus and synthesizes at once.",
        discussion: """
            Writes Package.swift (depending on Stratus), Sources/synth/main.swift, Environments/ \
            (organisation.yaml and dev.yaml), Stacks/ with one small stack and its Lambda code, \
            .gitignore, a GitHub Actions workflow that runs synth check, and a README. The \
            folder must not exist or be empty. Then: cd <folder> && swift run synth --all.

            Examples:
              synth init ../payments
              synth init ../payments --domain payments.example.org
              synth init ../payments --stratus ../stratus     (a local checkout of Stratus)
            """
    )

    @Argument(help: "The folder to create. Its last component is the package name unless --name is given.")
    var folder: String

    @Option(name: .long, help: "The package name: a letter, then letters, digits, '-' or '_' (at most 64).")
    var name: String?

    @Option(name: .long, help: "Where Stratus comes from: a git URL (the default is Stratus's own) or a local folder.")
    var stratus: String = StratusVersion.repositoryURL

    @Option(name: .long, help: "The organisation's apex domain; the dev environment gets dev.<domain>.")
    var domain: String = "example.com"

    func run() throws {
        try reportingDiagnostics {
            let target = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL
            let packageName = name ?? target.lastPathComponent
            var problems: [Diagnostic] = []
            if let problem = Self.nameProblem(packageName) {
                problems.append(Diagnostic(
                    "cannot init '\(folder)': package name '\(packageName)' \(problem)",
                    hint: "use a letter, then letters, digits, '-' or '_', e.g. synth init ../payments (or pass --name payments)"))
            }
            if let problem = DomainName.problem(with: domain) {
                problems.append(Diagnostic("cannot init '\(folder)': domain '\(domain)' \(problem)", hint: "give a lowercase DNS name, e.g. --domain example.org"))
            }
            switch FileSystem.resolvedKind(target.path) {
            case .success(.missing): break
            case .success(.directory):
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
                if !entries.isEmpty {
                    problems.append(Diagnostic(
                        "cannot init '\(folder)': the folder exists and is not empty (\(entries.count) entr\(entries.count == 1 ? "y" : "ies"))",
                        hint: "name a new folder, or an empty one; init never overwrites files"))
                }
            case .success:
                problems.append(Diagnostic("cannot init '\(folder)': a file is there, not a folder", hint: "name a new folder"))
            case .failure(let problem):
                problems.append(Diagnostic("cannot init '\(folder)': \(problem.description)", hint: problem.hint))
            }
            if !problems.isEmpty { throw DiagnosticError(problems) }

            let skeleton = Skeleton(name: packageName, stratus: Self.dependency(stratus), domain: domain)
            for (path, text) in skeleton.files {
                let url = target.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            print("""
                wrote \(skeleton.files.count) files to \(folder)/ (package \(packageName))
                next:
                  cd \(folder)
                  swift run synth --all     # writes out/ (out/dev/ and out/review.md); commit it with the code
                """)
        }
    }

    /// Why `name` cannot be a package name, or nil. It becomes the package's name and the
    /// folder's; a conservative rule that every file system and SwiftPM accept.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if name.count > 64 { return "is longer than 64 characters" }
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return "must start with a letter"
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        if let bad = name.unicodeScalars.first(where: { !allowed.contains($0) }) {
            return "contains '\(bad)'"
        }
        return nil
    }

    /// The `.package(...)` line and the name products are taken from for `--stratus`: a URL
    /// (`from:` the current version; its identity is the URL's last component) or a local folder
    /// (`path:` as given, named `Stratus`, since a folder's identity is its name, whatever that is).
    static func dependency(_ source: String) -> (declaration: String, identity: String) {
        let isURL = source.contains("://") || source.hasPrefix("git@")
        guard isURL else { return (#".package(name: "Stratus", path: "\#(source)")"#, "Stratus") }
        var last = source.split(separator: "/").last.map(String.init) ?? "stratus"
        if last.hasSuffix(".git") { last = String(last.dropLast(4)) }
        return (#".package(url: "\#(source)", from: "\#(StratusVersion.current)")"#, last.lowercased())
    }
}

/// The files `synth init` writes, by path.
struct Skeleton {
    let name: String
    let stratus: (declaration: String, identity: String)
    let domain: String

    var files: [(String, String)] {
        [
            ("Package.swift", packageManifest),
            ("Sources/synth/main.swift", main),
            ("Stacks/Infrastructure.swift", infrastructure),
            ("Stacks/Functions/hello/app.py", function),
            ("Environments/organisation.yaml", organisation),
            ("Environments/dev.yaml", environment),
            (".gitignore", gitignore),
            (".github/workflows/synth.yml", workflow),
            ("README.md", readme),
        ]
    }

    var packageManifest: String {
        """
        // swift-tools-version: 6.0
        import PackageDescription

        let package = Package(
            name: "\(name)",
            platforms: [.macOS(.v13)],
            products: [
                // swift run synth dev. (The target has another name: Stratus has a target called synth.)
                .executable(name: "synth", targets: ["SynthCommand"]),
            ],
            dependencies: [
                \(stratus.declaration),
            ],
            targets: [
                // The infrastructure: one Swift file per concern. Stacks/Functions/ holds Lambda code.
                .target(
                    name: "Infrastructure", dependencies: [.product(name: "Stratus", package: "\(stratus.identity)")],
                    path: "Stacks", exclude: ["Functions"]
                ),
                .executableTarget(
                    name: "SynthCommand", dependencies: ["Infrastructure", .product(name: "Stratus", package: "\(stratus.identity)")],
                    path: "Sources/synth"
                ),
            ]
        )

        """
    }

    var main: String {
        """
        import Infrastructure
        import Stratus

        StratusCLI.main(define: Infrastructure.define)

        """
    }

    var infrastructure: String {
        """
        import Stratus

        /// What `synth` builds for each environment in Environments/.
        public enum Infrastructure {
            public static func define(in app: App) {
                // <env>-Hello, in the environment's account and region.
                let stack = Stack(in: app, "Hello", description: "Hello service of \\(app.environment.name).")
                let greetings = Table(in: stack, "Greetings", partitionKey: .string("Name"))
                let handler = Function(
                    in: stack, "Handler", handler: "app.handler", code: .folder("Stacks/Functions/hello"),
                    environment: ["TABLE": greetings.name], description: "Greets and remembers")
                greetings.grantReadWrite(to: handler)
            }
        }

        """
    }

    var function: String {
        """
        import os

        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])


        def handler(event, context):
            name = (event or {}).get("name", "world")
            table.put_item(Item={"Name": name})
            return {"greeting": f"Hello, {name}!"}

        """
    }

    var organisation: String {
        """
        # The accounts every environment shares. Replace the ids with your own (12 digits, quoted).
        domain: \(domain)
        accounts:
          # Owns the AWS Organization (StackSets).
          management:
            id: "100000000001"
            region: eu-west-1
          # Owns the apex hosted zone \(domain).
          network:
            id: "100000000002"
            region: eu-west-1
          # Runs delivery pipelines.
          cicd:
            id: "100000000003"
            region: eu-west-1

        """
    }

    var environment: String {
        """
        # The dev environment: its own account and the zone dev.\(domain).
        name: dev
        account: "200000000001"
        region: eu-west-1
        domain: dev.\(domain)

        """
    }

    var gitignore: String {
        """
        .build/
        .swiftpm/
        Package.resolved
        out/.synth-*

        """
    }

    var workflow: String {
        """
        # Fails when the committed out/ is not what the code produces, or when a change would lose
        # data without an acknowledgement (see the Stratus documentation: "Diff and check").
        name: synth
        on:
          pull_request:
          push:
            branches: [main]
        permissions:
          contents: read
        jobs:
          check:
            runs-on: ubuntu-24.04
            container: swift:6.1-noble
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0
              - name: Set up
                run: apt-get update -qq && apt-get install -y -qq libyaml-dev pkg-config git
              - name: Check out/
                run: |
                  git config --global --add safe.directory "$GITHUB_WORKSPACE"
                  if [ "${{ github.event_name }}" = "pull_request" ]; then
                    swift run synth check --base-ref "origin/${{ github.base_ref }}"
                  else
                    swift run synth check
                  fi

        """
    }

    var readme: String {
        """
        # \(name)

        Infrastructure as typed Swift constructs, synthesized by [Stratus](\(StratusVersion.repositoryURL))
        into CloudFormation templates and a deploy plan.

        ```sh
        swift run synth --all     # writes out/: out/dev/ (templates, plan.json, plan.md) and review.md
        swift run synth dev       # one environment
        swift run synth diff dev  # what a change would do to out/dev/
        swift run synth check     # what CI runs: out/ must be what the code produces
        ```

        Needs Swift 6 and libyaml (`apt-get install libyaml-dev pkg-config` on Debian or Ubuntu).

        | folder | what it holds |
        |--------|---------------|
        | `Environments/` | `organisation.yaml` (the shared accounts, the apex domain) and one file per environment |
        | `Stacks/` | the infrastructure, in Swift; `Stacks/Functions/` the Lambda code |
        | `Sources/synth/` | the command line: Stratus's, with this repository's `Stacks/` |
        | `out/` | generated; commit it, never edit it |

        Add an environment: copy `Environments/dev.yaml` to `Environments/prd.yaml`, change its
        name, account and domain, and run `swift run synth --all`.

        """
    }
}
