import CloudFormation
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Plan
import Synthesis

/// Writes environments' files under `out/` as one change that either happens whole or not at all,
/// even when the process is killed half-way.
///
/// The commit, under the `OutputLock` of `out/`:
/// 1. **Check** everything that can be checked: no file where a folder goes, no folder or
///    symbolic link where a file goes, every folder to change writable. Any problem stops here.
/// 2. **Stage** new and changed files in `out/.synth-staging-<pid>/new/`.
/// 3. **Journal**: `out/.synth-journal` (written to a temporary name, then renamed) lists every
///    file the commit replaces, adds or removes, and every folder it creates.
/// 4. **Rename**: each old file into `out/.synth-staging-<pid>/old/`, each new one into place.
/// 5. Mark the journal committed, then remove the staging folder and the journal.
///
/// If a rename fails, the renames done so far are undone in reverse order. If the process dies,
/// the next run finds the journal (`recover()`) before doing anything else: an uncommitted
/// journal is rolled back, a committed one finished, so `out/` holds either the complete old or
/// the complete new content. Leftover staging folders are removed. A file whose bytes are
/// unchanged is not touched; symbolic links are never replaced or removed.
struct OutputWriter {
    let outDirectory: URL

    static let journalName = ".synth-journal"
    static let stagingPrefix = ".synth-staging-"

    struct Change {
        var written = 0
        var unchanged = 0
        var removed = 0

        var summary: String {
            "\(written) written, \(unchanged) unchanged, \(removed) removed"
        }
    }

    /// What a commit does, recorded before the first rename.
    struct Journal: Codable {
        struct Operation: Codable {
            /// Relative to `out/`: `dev/plan.md`, `review.md`.
            var path: String
            /// The file there now is moved aside (replaced or removed).
            var replacesOld: Bool
            /// A new file is moved into place.
            var placesNew: Bool
        }

        var staging: String
        var committed: Bool
        var operations: [Operation]
        /// Folders the commit creates, parents first.
        var folders: [String]
    }

    private var out: String { outDirectory.path }
    private func path(_ relative: String) -> String { out + "/" + relative }
    private static func display(_ relative: String) -> String { "out/" + relative }

    // MARK: - Writing

    /// Writes each environment's files to `out/<env>/`, and `rootFiles` to `out/`. Call under the lock.
    func write(_ outputs: [EnvironmentOutput], rootFiles: [OutputFile] = []) throws -> [Change] {
        var operations: [Journal.Operation] = []
        var contents: [String: Data] = [:]
        var changes: [Change] = []
        for output in outputs {
            var change = Change()
            let existing = Set(Self.files(under: outDirectory.appendingPathComponent(output.environment)))
            for file in output.files {
                let relative = "\(output.environment)/\(file.path)"
                if existing.contains(file.path), (try? FileSystem.read(path(relative)).get()) == file.contents {
                    change.unchanged += 1
                    continue
                }
                operations.append(.init(path: relative, replacesOld: FileSystem.kind(path(relative)) != .missing, placesNew: true))
                contents[relative] = file.contents
                change.written += 1
            }
            let wanted = Set(output.files.map(\.path))
            for stale in existing.sorted() where !wanted.contains(stale) {
                operations.append(.init(path: "\(output.environment)/\(stale)", replacesOld: true, placesNew: false))
                change.removed += 1
            }
            changes.append(change)
        }
        for file in rootFiles {
            if (try? FileSystem.read(path(file.path)).get()) == file.contents { continue }
            operations.append(.init(path: file.path, replacesOld: FileSystem.kind(path(file.path)) != .missing, placesNew: true))
            contents[file.path] = file.contents
        }
        if operations.isEmpty { return changes }

        let folders = try check(operations)
        let staging = Self.stagingPrefix + String(getpid())
        var journal = Journal(staging: staging, committed: false, operations: operations, folders: folders)
        try stage(journal, contents)
        var faults = FaultInjection.fromEnvironment()

        // From here on every change is recorded in the journal and can be undone.
        do { try faults.step("staged") } catch let failure as CommitFailure {
            FileSystem.removeTree(path(staging))
            throw DiagnosticError(.commitFailed(failure.path, failure.action, failure.problem, rolledBack: true))
        }
        if let problem = writeJournal(journal) {
            FileSystem.removeTree(path(staging))
            throw DiagnosticError(.cannotWrite(Self.journalName, problem))
        }
        do {
            try faults.step("journal written")
            for folder in folders {
                if let problem = FileSystem.makeDirectories(path(folder)) { throw CommitFailure(path: folder, problem: problem, action: "create") }
                try faults.step("created \(folder)")
            }
            for operation in operations {
                if operation.replacesOld {
                    if let problem = FileSystem.rename(path(operation.path), path("\(staging)/old/\(operation.path)")) {
                        throw CommitFailure(path: operation.path, problem: problem, action: operation.placesNew ? "replace" : "remove")
                    }
                    try faults.step("moved aside \(operation.path)")
                }
                if operation.placesNew {
                    if let problem = FileSystem.rename(path("\(staging)/new/\(operation.path)"), path(operation.path)) {
                        throw CommitFailure(path: operation.path, problem: problem, action: "write")
                    }
                    try faults.step("placed \(operation.path)")
                }
            }
            journal.committed = true
            if let problem = writeJournal(journal) { throw CommitFailure(path: Self.journalName, problem: problem, action: "write") }
        } catch let failure as CommitFailure {
            let undone = rollBack(journal)
            throw DiagnosticError(.commitFailed(failure.path, failure.action, failure.problem, rolledBack: undone))
        }
        // Committed: a failure from here on only leaves clean-up for the next run.
        try? faults.step("committed")
        finish(journal)
        return changes
    }

    /// Step 1: what can be checked before anything changes. Returns the folders to create.
    private func check(_ operations: [Journal.Operation]) throws -> [String] {
        var problems: [Diagnostic] = []
        var folders: [String] = []
        var checkedFolders: Set<String> = []
        var writable: Set<String> = []
        for operation in operations {
            let components = operation.path.split(separator: "/").map(String.init)
            var existing = ""
            var prefix = ""
            var missing = false
            var blocked = false
            for component in components.dropLast() {
                prefix = prefix.isEmpty ? component : prefix + "/" + component
                if missing {
                    if !folders.contains(prefix) { folders.append(prefix) }
                    continue
                }
                if checkedFolders.contains(prefix) { existing = prefix; continue }
                switch FileSystem.resolvedKind(path(prefix)) {
                case .success(.directory):
                    checkedFolders.insert(prefix)
                    existing = prefix
                case .success(.missing):
                    missing = true
                    if !folders.contains(prefix) { folders.append(prefix) }
                case .success:
                    problems.append(.fileWhereFolderGoes(Self.display(prefix)))
                    blocked = true
                case .failure(let problem):
                    problems.append(.outputPathProblem(Self.display(prefix), problem))
                    blocked = true
                }
                if blocked { break }
            }
            if blocked { continue }
            if !missing {
                switch FileSystem.kind(path(operation.path)) {
                case .missing, .file: break
                case .directory: problems.append(.folderWhereFileGoes(Self.display(operation.path)))
                case .symlink: problems.append(.symlinkInOutput(Self.display(operation.path)))
                case .special: problems.append(.outputPathProblem(Self.display(operation.path), .notRegularFile))
                }
            }
            writable.insert(existing)
        }
        writable.insert("")  // the staging folder and the journal go in out/ itself
        for folder in writable.sorted() {
            if let problem = FileSystem.isWritableDirectory(folder.isEmpty ? out : path(folder)) {
                problems.append(.folderNotWritable(Self.display(folder.isEmpty ? "" : folder + "/"), problem))
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        return folders
    }

    /// Step 2: every new file in the staging folder, and the folders old files move to.
    private func stage(_ journal: Journal, _ contents: [String: Data]) throws {
        let staging = path(journal.staging)
        FileSystem.removeTree(staging)
        var files: [(path: String, data: Data)] = []
        for operation in journal.operations {
            var failure: (String, FileSystem.Problem)?
            if operation.placesNew {
                let staged = "\(staging)/new/\(operation.path)"
                if let problem = FileSystem.makeDirectories((staged as NSString).deletingLastPathComponent) {
                    failure = ("\(journal.staging)/new/\(operation.path)", problem)
                }
                files.append((staged, contents[operation.path]!))
            }
            if failure == nil, operation.replacesOld {
                let aside = ("\(staging)/old/\(operation.path)" as NSString).deletingLastPathComponent
                if let problem = FileSystem.makeDirectories(aside) { failure = ("\(journal.staging)/old", problem) }
            }
            if let (file, problem) = failure {
                FileSystem.removeTree(staging)
                throw DiagnosticError(.cannotWrite(file, problem))
            }
        }
        // Every new file, flushed to disk before the journal that names them is written.
        if let (file, problem) = FileSystem.write(files) {
            FileSystem.removeTree(staging)
            throw DiagnosticError(.cannotWrite(journal.staging + file.dropFirst(staging.count), problem))
        }
    }

    /// Writes the journal under a temporary name and renames it into place, so that it is
    /// either absent or complete.
    private func writeJournal(_ journal: Journal) -> FileSystem.Problem? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(journal)) ?? Data()
        let temporary = path(Self.journalName + ".tmp")
        return FileSystem.write(data, to: temporary) ?? FileSystem.rename(temporary, path(Self.journalName))
    }

    /// Undoes the renames of an uncommitted journal, in reverse order; true when all are undone.
    @discardableResult
    private func rollBack(_ journal: Journal) -> Bool {
        var complete = true
        for operation in journal.operations.reversed() {
            let target = path(operation.path)
            let new = path("\(journal.staging)/new/\(operation.path)")
            let old = path("\(journal.staging)/old/\(operation.path)")
            if operation.placesNew, FileSystem.kind(new) == .missing, FileSystem.kind(target) != .missing {
                if FileSystem.remove(target) != nil { complete = false }
            }
            if operation.replacesOld, FileSystem.kind(old) != .missing {
                if FileSystem.rename(old, target) != nil { complete = false }
            }
        }
        guard complete else { return false }  // the journal stays, so the next run tries again
        for folder in journal.folders.reversed() { rmdir(path(folder)) }
        FileSystem.removeTree(path(journal.staging))
        _ = FileSystem.remove(path(Self.journalName))
        return true
    }

    /// Cleans up after a committed journal: old files, the staging folder, emptied folders, the journal.
    private func finish(_ journal: Journal) {
        FileSystem.removeTree(path(journal.staging))
        for operation in journal.operations where !operation.placesNew {
            removeEmptyParents(of: operation.path)
        }
        _ = FileSystem.remove(path(Self.journalName))
    }

    private func removeEmptyParents(of relative: String) {
        var folder = (relative as NSString).deletingLastPathComponent
        while !folder.isEmpty, FileSystem.kind(path(folder)) == .directory,
            let contents = try? FileManager.default.contentsOfDirectory(atPath: path(folder)), contents.isEmpty
        {
            rmdir(path(folder))
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    // MARK: - Recovery

    /// Finishes or undoes a commit that a killed run left, and removes leftover staging folders.
    /// Call under the lock, before reading `out/`. Returns what was done, for a note to the user.
    func recover() throws -> String? {
        guard FileSystem.kind(out) != .missing else { return nil }
        var note: String?
        let journalPath = path(Self.journalName)
        if FileSystem.kind(journalPath) != .missing {
            guard let data = try? FileSystem.read(journalPath).get(), let journal = try? JSONDecoder().decode(Journal.self, from: data) else {
                throw DiagnosticError(.damagedJournal(Self.display(Self.journalName)))
            }
            if journal.committed {
                finish(journal)
                note = "finished the commit to out/ that an earlier synth run (process \(journal.staging.dropFirst(Self.stagingPrefix.count))) was stopped in"
            } else if rollBack(journal) {
                note = "rolled back the commit to out/ that an earlier synth run (process \(journal.staging.dropFirst(Self.stagingPrefix.count))) was stopped in; out/ is as it was before that run"
            } else {
                throw DiagnosticError(.recoveryFailed(Self.display(Self.journalName)))
            }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        where name.hasPrefix(Self.stagingPrefix) || name.hasPrefix(".staging-") || name == Self.journalName + ".tmp" {
            FileSystem.removeTree(path(name))
        }
        return note
    }

    // MARK: - Reading

    /// Paths of regular files below `folder`, relative to it, skipping hidden files and never
    /// following symbolic links.
    static func files(under folder: URL) -> [String] {
        var paths: [String] = []
        func visit(_ directory: String, prefix: String) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !name.hasPrefix(".") {
                let child = directory + "/" + name
                switch FileSystem.kind(child) {
                case .file: paths.append(prefix + name)
                case .directory: visit(child, prefix: prefix + name + "/")
                default: break
                }
            }
        }
        guard case .success(.directory) = FileSystem.resolvedKind(folder.path) else { return [] }
        visit(folder.path, prefix: "")
        return paths.sorted()
    }
}

/// A rename or folder creation that failed during the commit.
private struct CommitFailure: Error {
    let path: String
    let problem: FileSystem.Problem
    let action: String
}

/// Failure points for the crash-consistency tests: `STRATUS_FAULT_STEP=<n>` stops the commit at
/// its n-th step, as a failed rename (`STRATUS_FAULT=fail`) or by killing the process
/// (`STRATUS_FAULT=crash`, as `kill -9` would). Unset, it does nothing.
struct FaultInjection {
    var target: Int?
    var crash: Bool
    var count = 0

    static func fromEnvironment() -> FaultInjection {
        let environment = ProcessInfo.processInfo.environment
        return FaultInjection(target: environment["STRATUS_FAULT_STEP"].flatMap(Int.init), crash: environment["STRATUS_FAULT"] == "crash")
    }

    mutating func step(_ name: String) throws {
        count += 1
        guard count == target else { return }
        if crash { kill(getpid(), SIGKILL) }
        throw CommitFailure(path: name, problem: .other("injected failure"), action: "commit")
    }
}

extension Diagnostic {
    static func cannotWrite(_ relative: String, _ problem: FileSystem.Problem) -> Diagnostic {
        Diagnostic(
            "cannot write this file: \(problem.description)", at: SourceLocation(file: "out/\(relative)"),
            hint: "\(problem.hint); out/ was left as it was")
    }

    static func commitFailed(_ relative: String, _ action: String, _ problem: FileSystem.Problem, rolledBack: Bool) -> Diagnostic {
        Diagnostic(
            "cannot \(action) this file: \(problem.description)", at: SourceLocation(file: "out/\(relative)"),
            hint: rolledBack
                ? "\(problem.hint); the files already moved were put back, so out/ is as it was"
                : "\(problem.hint); out/ could not be put back yet: the next synth run finishes that from out/\(OutputWriter.journalName)")
    }

    static func fileWhereFolderGoes(_ path: String) -> Diagnostic {
        Diagnostic(
            "this is a file, but synth writes a folder here", at: SourceLocation(file: path),
            hint: "move the file away, then run synth again; out/ was left as it was")
    }

    static func folderWhereFileGoes(_ path: String) -> Diagnostic {
        Diagnostic(
            "this is a folder, but synth writes a file here", at: SourceLocation(file: path),
            hint: "move the folder away, then run synth again; out/ was left as it was")
    }

    static func symlinkInOutput(_ path: String) -> Diagnostic {
        Diagnostic(
            "this is a symbolic link; synth never replaces links", at: SourceLocation(file: path),
            hint: "remove the link (synth writes a regular file here), then run synth again; out/ was left as it was")
    }

    static func outputPathProblem(_ path: String, _ problem: FileSystem.Problem) -> Diagnostic {
        Diagnostic(
            "cannot change this: \(problem.description)", at: SourceLocation(file: path),
            hint: "\(problem.hint); out/ was left as it was")
    }

    static func folderNotWritable(_ path: String, _ problem: FileSystem.Problem) -> Diagnostic {
        Diagnostic(
            "cannot write in this folder: \(problem.description)", at: SourceLocation(file: path),
            hint: problem == .permissionDenied
                ? "give your user write permission on it (chmod u+w \(path)), then run synth again; out/ was left as it was"
                : "\(problem.hint); out/ was left as it was")
    }

    static func damagedJournal(_ path: String) -> Diagnostic {
        Diagnostic(
            "the journal of an interrupted commit cannot be read", at: SourceLocation(file: path),
            hint: "restore out/ with git checkout -- out/ and git clean -fd out/, remove this file, then run synth again")
    }

    static func recoveryFailed(_ path: String) -> Diagnostic {
        Diagnostic(
            "an interrupted commit to out/ could not be rolled back", at: SourceLocation(file: path),
            hint: "fix the permissions of out/ and run synth again, or restore out/ with git checkout -- out/ and remove this file")
    }
}
