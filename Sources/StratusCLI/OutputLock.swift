import CloudFormation
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synthesis

/// An exclusive lock on `out/`, so that one synth run at a time reads and commits it.
///
/// It is an `flock(2)` on the `out/` folder itself: nothing is written for it, and the system
/// releases it when the process ends, however it ends, so a lock is never stale. A second run
/// waits up to `STRATUS_LOCK_TIMEOUT` seconds (60 by default), then fails naming the process
/// that holds the lock.
final class OutputLock {
    private var descriptor: Int32
    private let out: String
    private let createdOut: Bool

    private init(descriptor: Int32, out: String, createdOut: Bool) {
        self.descriptor = descriptor
        self.out = out
        self.createdOut = createdOut
    }

    static var defaultTimeout: TimeInterval {
        ProcessInfo.processInfo.environment["STRATUS_LOCK_TIMEOUT"].flatMap(TimeInterval.init) ?? 60
    }

    /// Takes the lock, creating `out/` when there is none (and removing it again on release when
    /// nothing was written). Never replaces or follows a dangling `out` symbolic link.
    static func acquire(_ outDirectory: URL, timeout: TimeInterval = defaultTimeout) throws -> OutputLock {
        let out = outDirectory.path
        var created = false
        switch FileSystem.resolvedKind(out) {
        case .success(.directory): break
        case .success(.missing):
            if mkdir(out, 0o755) == 0 {
                created = true
            } else if errno != EEXIST {
                throw DiagnosticError(.outputPathProblem("out/", FileSystem.Problem(errno: errno)))
            }
        case .success:
            throw DiagnosticError(.fileWhereFolderGoes("out"))
        case .failure(.danglingSymlink):
            let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: out)) ?? "?"
            throw DiagnosticError(.danglingOutLink(destination))
        case .failure(let problem):
            throw DiagnosticError(.outputPathProblem("out", problem))
        }
        let deadline = Date().addingTimeInterval(timeout)
        var announced = false
        while true {
            let descriptor = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { throw DiagnosticError(.outputPathProblem("out/", FileSystem.Problem(errno: errno))) }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                // A run that created out/ and removed it again may have let go of another folder: retry.
                var held = stat()
                var current = stat()
                if fstat(descriptor, &held) == 0, stat(out, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                    return OutputLock(descriptor: descriptor, out: out, createdOut: created)
                }
                close(descriptor)
                if FileSystem.kind(out) == .missing, mkdir(out, 0o755) == 0 { created = true }
                continue
            }
            let holder = Self.holder(of: descriptor)
            close(descriptor)
            if Date() >= deadline {
                throw DiagnosticError(.outputLocked(holder: holder, seconds: Int(timeout.rounded())))
            }
            if !announced {
                FileHandle.standardError.write(Data("waiting for \(holder ?? "another synth run"), which is writing out/ ...\n".utf8))
                announced = true
            }
            usleep(50_000)
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
        if createdOut, let contents = try? FileManager.default.contentsOfDirectory(atPath: out), contents.isEmpty {
            rmdir(out)
        }
    }

    deinit { release() }

    /// `process 1234 (synth --all)`, from /proc/locks where the system has it.
    private static func holder(of descriptor: Int32) -> String? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, case .success(let data) = FileSystem.read("/proc/locks") else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            // 1: FLOCK  ADVISORY  WRITE 12345 08:01:131 0 EOF
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5].hasSuffix(":\(info.st_ino)"), let pid = Int32(fields[4]), pid != getpid() else { continue }
            var text = "process \(pid)"
            if case .success(let arguments) = FileSystem.read("/proc/\(pid)/cmdline") {
                var words = arguments.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                if let first = words.first { words[0] = (first as NSString).lastPathComponent }
                if !words.isEmpty { text += " (\(words.joined(separator: " ")))" }
            }
            return text
        }
        return nil
    }
}

extension Diagnostic {
    static func outputLocked(holder: String?, seconds: Int) -> Diagnostic {
        Diagnostic(
            "out/ is locked by \(holder ?? "another synth run"); gave up after waiting \(seconds) s", at: SourceLocation(file: "out/"),
            hint: "let that run finish (or stop it) and run synth again; the lock ends with the process, and STRATUS_LOCK_TIMEOUT sets the wait in seconds")
    }

    static func danglingOutLink(_ destination: String) -> Diagnostic {
        Diagnostic(
            "out is a symbolic link to '\(destination)', which does not exist", at: SourceLocation(file: "out"),
            hint: "create the folder it points to, or remove the link; synth never replaces a link")
    }
}
