import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

private let synth = Repository.synthExecutable

/// Every file below out/ (hidden ones too, so leftovers show) with its bytes and modification date.
private struct OutState: Equatable {
    let files: [String: Data]
    let dates: [String: Date]

    init(_ repo: TemporaryDirectory) {
        let out = repo.url.appendingPathComponent("out")
        files = Repository.snapshot(of: out)
        var dates: [String: Date] = [:]
        for path in files.keys {
            dates[path] = try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(path).path)[.modificationDate] as? Date
        }
        self.dates = dates
    }
}

private func environment(_ extra: [String: String]) -> [String: String] {
    ProcessInfo.processInfo.environment.merging(extra) { $1 }
}

/// Runs synth in `repo`; expects status 1 (or `status`), exactly `message` on stderr, and out/
/// byte-identical with the same modification dates.
private func expectRejected(
    _ repo: TemporaryDirectory, _ arguments: [String], _ message: String, status: Int32 = 1, as user: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let before = OutState(repo)
    let result: CommandResult
    if let user {
        result = try Command.run(URL(fileURLWithPath: "/usr/bin/setpriv"), ["--reuid=\(user)", "--regid=nogroup", "--clear-groups", synth.path] + arguments, in: repo.url)
    } else {
        result = try Command.run(synth, arguments, in: repo.url)
    }
    #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr == message, sourceLocation: sourceLocation)
    #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("The operation could not be completed"), sourceLocation: sourceLocation)
    #expect(OutState(repo) == before, "out/ changed", sourceLocation: sourceLocation)
}

private func workspace() throws -> TemporaryDirectory { try Repository.copy() }

/// Edits out/ so that `synth dev` has something to commit: a changed file, a stale file, a missing one.
private func makeDevStale(_ repo: TemporaryDirectory) throws {
    try repo.write("out/dev/plan.md", "edited by hand\n")
    try repo.write("out/dev/dev-Stale.template.yaml", "Resources: {}\n")
    try repo.write("out/dev/assets/stale.zip", "old\n")
    try FileManager.default.removeItem(at: repo.url.appendingPathComponent("out/dev/plan.json"))
}

private func hiddenEntries(_ repo: TemporaryDirectory) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: repo.url.appendingPathComponent("out").path)) ?? []).filter { $0.hasPrefix(".") }
}

@Suite(.serialized) struct HardeningTests {
    // MARK: - The commit to out/

    /// Stops the commit at every step, by killing the process and by a failed rename; the next run
    /// (one that fails validation, so it only settles the commit) leaves the old or the new content.
    @Test(arguments: ["crash", "fail"])
    func aCommitStoppedAtAnyStepLeavesTheOldOrTheNewContent(_ mode: String) throws {
        let fresh = try workspace()
        #expect(try Command.run(synth, ["dev"], in: fresh.url).status == 0)
        let new = Repository.snapshot(of: fresh.url.appendingPathComponent("out"))
        var stoppedAt: [Int] = []
        for step in 1...200 {
            let repo = try workspace()
            try makeDevStale(repo)
            let old = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
            let run = try Command.run(synth, ["dev"], in: repo.url, environment: environment(["STRATUS_FAULT_STEP": "\(step)", "STRATUS_FAULT": mode]))
            if run.status == 0 {
                // Past the last step: the commit ran whole.
                #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == new)
                break
            }
            stoppedAt.append(step)
            if mode == "fail" {
                #expect(run.status == 1)
                #expect(run.stderr.contains("error: cannot ") && run.stderr.contains("injected failure"), "\(run.stderr)")
                #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == old, "step \(step): a failed commit changed out/")
            } else {
                #expect(run.status == SIGKILL, "step \(step): \(run.stderr)")
            }
            let next = try Command.run(synth, ["no-such-environment"], in: repo.url)
            #expect(next.status == 1)
            let after = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
            #expect(after == old || after == new, "step \(step): out/ is neither the old nor the new content")
            #expect(hiddenEntries(repo).isEmpty, "step \(step): left \(hiddenEntries(repo))")
        }
        // Every file moved aside and into place is a step: a real commit has many.
        #expect(stoppedAt.count >= 7, "\(stoppedAt)")
    }

    @Test func aCrashedCommitIsRolledBackByTheNextRunWithANote() throws {
        let repo = try workspace()
        try makeDevStale(repo)
        let old = Repository.snapshot(of: repo.url.appendingPathComponent("out"))
        let crashed = try Command.run(synth, ["dev"], in: repo.url, environment: environment(["STRATUS_FAULT_STEP": "4", "STRATUS_FAULT": "crash"]))
        #expect(crashed.status == SIGKILL)
        #expect(hiddenEntries(repo).sorted().first == ".synth-journal")
        let next = try Command.run(synth, ["no-such-environment"], in: repo.url)
        #expect(next.stderr.hasPrefix("note: rolled back the commit to out/ that an earlier synth run (process "), "\(next.stderr)")
        #expect(next.stderr.contains(") was stopped in; out/ is as it was before that run\n"))
        #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == old)
    }

    /// Two runs at once, 20 times: each succeeds (the second waits for the lock), nothing is left over.
    @Test func twoRunsAtOnceTakeTurns() throws {
        let repo = try workspace()
        let committed = Repository.snapshot(of: Repository.root.appendingPathComponent("out"))
        var waits = 0
        for round in 1...20 {
            try repo.write("out/dev/plan.md", "edited \(round)\n")
            try repo.write("out/tst/dev-Stale.template.yaml", "Resources: {}\n")
            let results = try Command.runTogether(synth, [["--all"], ["--all"]], in: repo.url)
            for result in results {
                let waited = result.stderr.hasPrefix("waiting for process ")
                if waited { waits += 1 }
                #expect(result.status == 0, "round \(round): \(result.stderr)")
                #expect(result.stderr.isEmpty || waited, "round \(round): \(result.stderr)")
            }
            #expect(hiddenEntries(repo).isEmpty, "round \(round): left \(hiddenEntries(repo))")
            #expect(Repository.snapshot(of: repo.url.appendingPathComponent("out")) == committed, "round \(round)")
        }
        // The runs really overlapped: the second one waited for the first.
        #expect(waits > 0)
        print("two runs at once: the second waited for the lock in \(waits) of 20 rounds")
    }

    @Test func aRunThatCannotGetTheLockNamesItsHolder() throws {
        let repo = try workspace()
        let descriptor = open(repo.url.appendingPathComponent("out").path, O_RDONLY | O_DIRECTORY)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX) == 0)
        let before = OutState(repo)
        let result = try Command.run(synth, ["dev"], in: repo.url, environment: environment(["STRATUS_LOCK_TIMEOUT": "0.3"]))
        #expect(result.status == 1)
        let holder = "process \(getpid()) (\(URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent)"
        #expect(result.stderr.hasPrefix("waiting for \(holder)"), "\(result.stderr)")
        #expect(result.stderr.contains("), which is writing out/ ...\nout/: error: out/ is locked by \(holder)"))
        #expect(result.stderr.hasSuffix(
            "; gave up after waiting 0 s\n  hint: let that run finish (or stop it) and run synth again; the lock ends with the process, and STRATUS_LOCK_TIMEOUT sets the wait in seconds\n"))
        #expect(OutState(repo) == before)
    }

    @Test func outThatIsAFileOrADanglingLinkIsNamedAndKept() throws {
        let file = try Repository.copy(["Environments", "Stacks"])
        try file.write("out", "not a folder\n")
        try expectRejected(file, ["dev"], "out: error: this is a file, but synth writes a folder here\n  hint: move the file away, then run synth again; out/ was left as it was\n")

        let link = try Repository.copy(["Environments", "Stacks"])
        try FileManager.default.createSymbolicLink(atPath: link.url.appendingPathComponent("out").path, withDestinationPath: "elsewhere/out")
        let result = try Command.run(synth, ["dev"], in: link.url)
        #expect(result.status == 1)
        #expect(result.stderr == "out: error: out is a symbolic link to 'elsewhere/out', which does not exist\n  hint: create the folder it points to, or remove the link; synth never replaces a link\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.url.appendingPathComponent("out").path) == "elsewhere/out")
    }

    @Test func aFileWhereAFolderGoesAndALinkWhereAFileGoesAreCheckedBeforeAnyRename() throws {
        let repo = try workspace()
        try makeDevStale(repo)
        try FileManager.default.removeItem(at: repo.url.appendingPathComponent("out/tst"))
        try repo.write("out/tst", "a file\n")
        try FileManager.default.removeItem(at: repo.url.appendingPathComponent("out/review.md"))
        try FileManager.default.createSymbolicLink(
            atPath: repo.url.appendingPathComponent("out/review.md").path, withDestinationPath: "dev/plan.md")
        try FileManager.default.removeItem(at: repo.url.appendingPathComponent("out/prd/plan.md"))
        try FileManager.default.createDirectory(at: repo.url.appendingPathComponent("out/prd/plan.md"), withIntermediateDirectories: true)
        try repo.write("out/prd/plan.md/x", "x\n")
        try expectRejected(repo, ["--all"], """
            out/prd/plan.md: error: this is a folder, but synth writes a file here
              hint: move the folder away, then run synth again; out/ was left as it was
            out/review.md: error: this is a symbolic link; synth never replaces links
              hint: remove the link (synth writes a regular file here), then run synth again; out/ was left as it was
            out/tst: error: this is a file, but synth writes a folder here
              hint: move the file away, then run synth again; out/ was left as it was

            """)
    }

    /// As an unprivileged user (root ignores permission bits): a read-only environment folder and
    /// a read-only out/ are named before anything moves.
    @Test func readOnlyFoldersAreNamedBeforeAnyRename() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let repo = try workspace()
        try makeDevStale(repo)
        #expect(try Command.run(URL(fileURLWithPath: "/bin/chown"), ["-R", "nobody", repo.url.path], in: repo.url).status == 0)
        chmod(repo.url.appendingPathComponent("out/dev").path, 0o555)
        defer { chmod(repo.url.appendingPathComponent("out/dev").path, 0o755) }
        try expectRejected(repo, ["dev"], """
            out/dev/: error: cannot write in this folder: permission denied
              hint: give your user write permission on it (chmod u+w out/dev/), then run synth again; out/ was left as it was

            """, as: "nobody")
        chmod(repo.url.appendingPathComponent("out/dev").path, 0o755)
        chmod(repo.url.appendingPathComponent("out").path, 0o555)
        defer { chmod(repo.url.appendingPathComponent("out").path, 0o755) }
        try expectRejected(repo, ["dev"], """
            out/: error: cannot write in this folder: permission denied
              hint: give your user write permission on it (chmod u+w out/), then run synth again; out/ was left as it was

            """, as: "nobody")
        chmod(repo.url.appendingPathComponent("out").path, 0o755)
        chmod(repo.url.appendingPathComponent("Environments/dev.yaml").path, 0o000)
        try expectRejected(repo, ["dev"], """
            Environments/dev.yaml: error: cannot read this file: permission denied
              hint: give your user read (and, for out/, write) permission, e.g. chmod u+rw

            """, as: "nobody")
    }

    // MARK: - Code folders

    /// A link out of the repository in a code folder: one error (not one per environment), naming
    /// the link and where it points; nothing of it reaches out/.
    @Test func aLinkOutOfTheRepositoryInACodeFolderIsOneError() throws {
        let repo = try workspace()
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.url.appendingPathComponent("Stacks/Functions").path).sorted().first)
        let functions = repo.url.appendingPathComponent("Stacks/Functions/\(folder)")
        let code = try #require(FileManager.default.enumerator(atPath: functions.path)?.compactMap { $0 as? String }.sorted().first {
            (try? FileManager.default.contentsOfDirectory(atPath: functions.appendingPathComponent($0).path)) != nil
        })
        let link = "Stacks/Functions/\(folder)/\(code)/passwd"
        try FileManager.default.createSymbolicLink(atPath: repo.url.appendingPathComponent(link).path, withDestinationPath: "/etc/passwd")
        let before = OutState(repo)
        let result = try Command.run(synth, ["--all"], in: repo.url)
        #expect(result.status == 1)
        #expect(result.stderr.components(separatedBy: ": error: ").count == 2, "\(result.stderr)")
        #expect(result.stderr.contains(": '\(link)' is a symbolic link to '/etc/passwd', outside the repository"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("\n  hint: copy what the function needs into its folder; links in a code folder may only point inside the repository\n"))
        #expect(OutState(repo) == before)
    }

    // MARK: - Environment files

    @Test(arguments: [
        ("a b.yaml", "name: a b\naccount: \"200000000009\"\nregion: eu-west-1\ndomain: ab.brainfartlab.com\n", "Environments/a b.yaml: error: environment name 'a b' must be lowercase letters, digits and hyphens, starting with a letter (at most 40)\n  hint: it becomes part of stack names: rename the file (and its name: field), e.g. Environments/staging.yaml\n"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\nregion: eu-west-2\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:4:1: error: field 'region' is given twice (first on line 3)\n  hint: keep one of them\n"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: \"\"\ndomain: dev.brainfartlab.com\n", "Environments/dev.yaml:3:9: error: region is empty\n  hint: name the region the environment deploys to, e.g. eu-west-1\n"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\ndomain: tst.brainfartlab.com\n", "Environments/tst.yaml:5:9: error: domain 'tst.brainfartlab.com' is also the domain of Environments/dev.yaml\n  hint: give each environment its own domain: the apex zone delegates each one once\n"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\ndomain: dev.brainfartlab.com\npipeline:\n  repository: brainfartlab/ai-quiz\n  branch: \"de\\0v\"\n", "Environments/dev.yaml:7:11: error: branch 'de\\u{0}v' is not a valid git branch name: it contains a control character (U+0000)\n  hint: use a name git accepts (git check-ref-format --branch <name>), e.g. main or release/1.2\n"),
        ("dev.yaml", "name: dev\naccount: \"200000000002\"\nregion: eu-west-1\ndomain: dev.brainfartlab.com\npipeline:\n  repository: brainfartlab/ai-quiz\n  branch: main\n", "Environments/prd.yaml:<line prd.yaml   branch:>:11: error: branch 'main' of brainfartlab/ai-quiz is also deployed by Environments/dev.yaml\n  hint: map each branch to one environment (Environments/dev.yaml and Environments/prd.yaml)\n"),
        ("dev.yaml", String(repeating: "[", count: 1200), "Environments/dev.yaml:1:1: error: the YAML is nested too deeply\n  hint: an environment file is a flat mapping with a few nested fields; see README.md, section 'Adding an environment'\n"),
    ])
    func badEnvironmentFilesAreNamedExactly(_ file: String, _ contents: String, _ message: String) throws {
        let repo = try workspace()
        // `<line FILE TEXT>`: the line of the repository's Environments/FILE that holds TEXT, so
        // that comments or fields added to the real files do not move the expected text.
        var expected = message
        while let match = expected.firstMatch(of: #/<line (\S+) ([^>]+)>/#) {
            let lines = (repo.read("Environments/\(match.1)") ?? "").split(separator: "\n", omittingEmptySubsequences: false)
            let number = (lines.firstIndex { $0.hasPrefix(String(match.2)) } ?? -2) + 1
            expected.replaceSubrange(match.range, with: String(number))
        }
        try repo.write("Environments/\(file)", contents)
        try expectRejected(repo, ["--all"], expected)
    }

    /// The 1-based line of `Environments/<file>` in `repo` that starts with `prefix`.
    private func line(_ repo: TemporaryDirectory, _ file: String, startingWith prefix: String) -> Int {
        let lines = (repo.read("Environments/\(file)") ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.hasPrefix(prefix) } ?? -2) + 1
    }

    @Test func aTokenAsSourceConnectionPointsAtTheOrganisationFileOnce() throws {
        let repo = try workspace()
        let text = try #require(repo.read("Environments/organisation.yaml"))
        try repo.write("Environments/organisation.yaml", text.replacing(
            #/sourceConnection: .*/#, with: "sourceConnection: ghp_0123456789abcdef"))
        try expectRejected(repo, ["--all"], "Environments/organisation.yaml:\(line(repo, "organisation.yaml", startingWith: "sourceConnection:")):19: error: sourceConnection is a GitHub token, not a connection\n  hint: create a CodeStar (CodeConnections) connection to GitHub in the cicd account and put its ARN here; tokens end up in templates and logs\n")
    }

    @Test func noEnvironmentFilesIsAnError() throws {
        let repo = try workspace()
        for name in try FileManager.default.contentsOfDirectory(atPath: repo.url.appendingPathComponent("Environments").path) where name != "organisation.yaml" {
            try FileManager.default.removeItem(at: repo.url.appendingPathComponent("Environments/\(name)"))
        }
        try expectRejected(repo, ["--all"], "Environments: error: there are no environment files in Environments/\n  hint: add Environments/<name>.yaml; see README.md, section 'Adding an environment'\n")
    }

    @Test func fileSystemFaultsAreToldAsWhatTheyAre() throws {
        let repo = try workspace()
        let dev = repo.url.appendingPathComponent("Environments/dev.yaml")
        try FileManager.default.removeItem(at: dev)
        try FileManager.default.createDirectory(at: dev, withIntermediateDirectories: false)
        try expectRejected(repo, ["dev"], "Environments/dev.yaml: error: cannot read this file: it is a folder, not a file\n  hint: a file is expected here: move the folder away\n")
        try FileManager.default.removeItem(at: dev)
        try FileManager.default.createSymbolicLink(atPath: dev.path, withDestinationPath: "dev.yaml")
        try expectRejected(repo, ["dev"], "Environments/dev.yaml: error: cannot read this file: it is a symbolic link loop\n  hint: the link points (through other links) back to itself: replace it with the real file\n")
        try FileManager.default.removeItem(at: dev)
        try FileManager.default.createSymbolicLink(atPath: dev.path, withDestinationPath: "gone.yaml")
        try expectRejected(repo, ["dev"], "Environments/dev.yaml: error: cannot read this file: it is a symbolic link to something that does not exist\n  hint: point the link at a file that exists, or remove it\n")
    }

    @Test func aHugeEnvironmentFileIsOneError() throws {
        let repo = try workspace()
        try repo.write("Environments/dev.yaml", String(repeating: "unknown: 1\n", count: 1_000_000))
        try expectRejected(repo, ["dev"], "Environments/dev.yaml: error: file is 11000000 bytes; an environment file may be at most 262144\n  hint: an environment file holds a few fields; see README.md, section 'Adding an environment'\n")
    }

    // MARK: - The command line

    @Test func commandLineMistakesAreNamed() throws {
        let repo = try workspace()
        let before = OutState(repo)
        let frob = try Command.run(synth, ["--frob"], in: repo.url)
        #expect(frob.status == 64)
        #expect(frob.stderr.hasPrefix("Error: Unknown option '--frob'.\n"), "\(frob.stderr)")
        try expectRejected(repo, ["dev", "--root", "/no/such/folder"], "error: cannot use --root '/no/such/folder': it does not exist\n  hint: pass the repository folder, the one that holds Environments/ and Stacks/\n")
        try expectRejected(repo, ["dev", "--root", repo.url.appendingPathComponent("Environments/dev.yaml").path], "error: cannot use --root '\(repo.url.appendingPathComponent("Environments/dev.yaml").path)': it is not a folder\n  hint: pass the repository folder, the one that holds Environments/ and Stacks/\n")
        #expect(OutState(repo) == before)
    }

    @Test func diagnosticsAreCappedAtFifty() throws {
        let repo = try workspace()
        var text = try #require(repo.read("Environments/dev.yaml"))
        let firstAdded = text.split(separator: "\n", omittingEmptySubsequences: false).count
        for index in 0..<10_000 { text += "unknown\(index): 1\n" }
        try repo.write("Environments/dev.yaml", text)
        let before = OutState(repo)
        let result = try Command.run(synth, ["dev"], in: repo.url)
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 50)
        #expect(errors.first?.hasPrefix("Environments/dev.yaml:\(firstAdded):1: error: unknown field 'unknown0'") == true, "\(errors.first ?? "")")
        #expect(result.stderr.hasSuffix("\n... and 9950 more\n"))
        #expect(OutState(repo) == before)
    }
}
