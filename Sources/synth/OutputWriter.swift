import CloudFormation
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Plan

/// Writes environments' files under `out/` as one change that either happens whole or not at all.
///
/// New and changed files are first written to a staging folder inside `out/`; only when every one
/// of them is written are they renamed into place (a rename within one file system does not fail
/// half-way), and files of stacks that no longer exist are removed. A file whose bytes are unchanged
/// is not touched. If staging fails, the staging folder is removed and `out/` is as it was.
struct OutputWriter {
    let outDirectory: URL

    struct Change {
        var written = 0
        var unchanged = 0
        var removed = 0

        var summary: String {
            "\(written) written, \(unchanged) unchanged, \(removed) removed"
        }
    }

    /// Writes each environment's files to `out/<env>/`, and `rootFiles` to `out/`.
    func write(_ outputs: [EnvironmentOutput], rootFiles: [OutputFile] = []) throws -> [Change] {
        let manager = FileManager.default
        let createdOut = !manager.fileExists(atPath: outDirectory.path)
        let staging = outDirectory.appendingPathComponent(".staging-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        var moves: [(from: URL, to: URL)] = []
        var removals: [URL] = []
        var changes: [Change] = []
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            for output in outputs {
                var change = Change()
                let folder = outDirectory.appendingPathComponent(output.environment, isDirectory: true)
                let existing = Set(Self.files(under: folder))
                for file in output.files {
                    let target = folder.appendingPathComponent(file.path)
                    if existing.contains(file.path), manager.contents(atPath: target.path) == file.contents {
                        change.unchanged += 1
                        continue
                    }
                    let staged = staging.appendingPathComponent(output.environment).appendingPathComponent(file.path)
                    try manager.createDirectory(at: staged.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try file.contents.write(to: staged)
                    moves.append((staged, target))
                    change.written += 1
                }
                let wanted = Set(output.files.map(\.path))
                for path in existing.sorted() where !wanted.contains(path) {
                    removals.append(folder.appendingPathComponent(path))
                    change.removed += 1
                }
                changes.append(change)
            }
            for file in rootFiles {
                let target = outDirectory.appendingPathComponent(file.path)
                if manager.contents(atPath: target.path) == file.contents { continue }
                let staged = staging.appendingPathComponent(file.path)
                try file.contents.write(to: staged)
                moves.append((staged, target))
            }
        } catch {
            try? manager.removeItem(at: staging)
            if createdOut { try? manager.removeItem(at: outDirectory) }
            throw DiagnosticError(Diagnostic(
                "cannot write generated files: \(error.localizedDescription)", at: SourceLocation(file: "out/"),
                hint: "check free disk space and permissions; out/ was left as it was"))
        }
        // Commit: renames and removals only.
        for move in moves {
            try manager.createDirectory(at: move.to.deletingLastPathComponent(), withIntermediateDirectories: true)
            // rename(2) replaces the target atomically.
            if rename(move.from.path, move.to.path) != 0 {
                throw DiagnosticError(Diagnostic(
                    "cannot move \(move.from.lastPathComponent) into place: \(String(cString: strerror(errno)))",
                    at: SourceLocation(file: "out/"), hint: "check permissions; run synth again"))
            }
        }
        for removal in removals {
            try manager.removeItem(at: removal)
            Self.removeEmptyParents(of: removal, upTo: outDirectory)
        }
        try? manager.removeItem(at: staging)
        return changes
    }

    /// Paths of regular files below `folder`, relative to it, skipping hidden files.
    static func files(under folder: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        return paths.sorted()
    }

    private static func removeEmptyParents(of file: URL, upTo top: URL) {
        var folder = file.deletingLastPathComponent()
        while folder.path.count > top.path.count,
            let contents = try? FileManager.default.contentsOfDirectory(atPath: folder.path), contents.isEmpty
        {
            try? FileManager.default.removeItem(at: folder)
            folder = folder.deletingLastPathComponent()
        }
    }
}
