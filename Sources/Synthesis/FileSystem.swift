import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemWrite = Glibc.write
private let systemRename = Glibc.rename
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemWrite = Darwin.write
private let systemRename = Darwin.rename
#endif

/// Small POSIX wrappers for reading inputs and writing `out/`, so that every file-system failure
/// can be told as what it is (permission denied, a folder where a file was expected, a symbolic
/// link loop, a dangling link) with its path, and never as Foundation's error text.
public enum FileSystem {
    /// What is at a path, without following a final symbolic link.
    public enum Kind: Equatable, Sendable {
        case missing
        case file
        case directory
        case symlink
        /// A FIFO, socket or device.
        case special
    }

    /// Why a file could not be read or written, in words a message can use after the path.
    public enum Problem: Error, Equatable, Sendable {
        case missing
        case permissionDenied
        case isDirectory
        case notDirectory
        case symlinkLoop
        case danglingSymlink
        case notRegularFile
        case readOnlyFileSystem
        case noSpace
        case other(String)

        public init(errno code: Int32) {
            switch code {
            case ENOENT: self = .missing
            case EACCES, EPERM: self = .permissionDenied
            case EISDIR: self = .isDirectory
            case ENOTDIR: self = .notDirectory
            case ELOOP: self = .symlinkLoop
            case EROFS: self = .readOnlyFileSystem
            case ENOSPC, EDQUOT: self = .noSpace
            default: self = .other(String(cString: strerror(code)).lowercased())
            }
        }

        /// `permission denied`, `is a folder, not a file`, ...
        public var description: String {
            switch self {
            case .missing: return "it does not exist"
            case .permissionDenied: return "permission denied"
            case .isDirectory: return "it is a folder, not a file"
            case .notDirectory: return "a part of the path is a file, not a folder"
            case .symlinkLoop: return "it is a symbolic link loop"
            case .danglingSymlink: return "it is a symbolic link to something that does not exist"
            case .notRegularFile: return "it is not a regular file (a FIFO, socket or device)"
            case .readOnlyFileSystem: return "it is on a read-only file system"
            case .noSpace: return "no space left on the device"
            case .other(let text): return text
            }
        }

        /// A sentence about `subject` (a quoted path): `'a/b' cannot be read: permission denied`.
        public func statement(_ subject: String) -> String {
            switch self {
            case .missing: return "\(subject) does not exist"
            case .permissionDenied: return "\(subject) cannot be read: permission denied"
            case .notDirectory: return "\(subject) cannot be reached: a part of its path is a file, not a folder"
            case .noSpace: return "\(subject) cannot be written: no space left on the device"
            case .other(let text): return "\(subject) cannot be used: \(text)"
            default: return "\(subject) \(description.dropFirst(3))"
            }
        }

        /// What to do about it.
        public var hint: String {
            switch self {
            case .missing: return "create it, or fix the path"
            case .permissionDenied: return "give your user read (and, for out/, write) permission, e.g. chmod u+rw"
            case .isDirectory: return "a file is expected here: move the folder away"
            case .notDirectory: return "a folder is expected on the way: move the file away"
            case .symlinkLoop: return "the link points (through other links) back to itself: replace it with the real file"
            case .danglingSymlink: return "point the link at a file that exists, or remove it"
            case .notRegularFile: return "replace it with a regular file"
            case .readOnlyFileSystem: return "work in a writable checkout"
            case .noSpace: return "free some disk space and run synth again"
            case .other: return "fix the file and run synth again"
            }
        }
    }

    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .special
        }
    }

    /// The kind of what `path` leads to after following links; the problem when a link dangles or loops.
    public static func resolvedKind(_ path: String) -> Result<Kind, Problem> {
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            if code == ENOENT, kind(path) == .symlink { return .failure(.danglingSymlink) }
            if code == ENOENT { return .success(.missing) }
            return .failure(Problem(errno: code))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .success(.file)
        case S_IFDIR: return .success(.directory)
        default: return .success(.special)
        }
    }

    /// Reads a regular file (following links); the problem otherwise.
    public static func read(_ path: String) -> Result<Data, Problem> {
        switch resolvedKind(path) {
        case .failure(let problem): return .failure(problem)
        case .success(.missing): return .failure(.missing)
        case .success(.directory): return .failure(.isDirectory)
        case .success(.special): return .failure(.notRegularFile)
        case .success: break
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(Problem(errno: errno)) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Problem(errno: errno))
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return .success(data)
    }

    /// Writes `data` to a new file at `path` (replacing a file there), flushed to disk.
    public static func write(_ data: Data, to path: String) -> Problem? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return Problem(errno: errno) }
        defer { close(descriptor) }
        var offset = 0
        let failure: Problem? = data.withUnsafeBytes { bytes -> Problem? in
            while offset < bytes.count {
                let count = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    return Problem(errno: errno)
                }
                offset += count
            }
            return nil
        }
        if let failure { return failure }
        return fsync(descriptor) == 0 ? nil : Problem(errno: errno)
    }

    /// Writes every file (replacing files there) and flushes each to disk, on up to 16 threads at
    /// once, so that the disk sees the flushes together: one fsync after another cost about 1 ms
    /// per file on this project's machines, most of the time of writing 100 templates, and each
    /// thread writing its own files lets the copy into the page cache overlap the others' flushes
    /// (a probe of 102 files, 12.5 MB: 45-60 ms against 57-84 ms for writing all first). Returns
    /// the first path that failed (in `files` order) and why; the other files are written anyway,
    /// and files already written stay.
    public static func write(_ files: [(path: String, data: Data)]) -> (path: String, problem: Problem)? {
        let writes = Writes(files: files, threads: min(16, files.count))
        writes.run()
        return writes.firstFailure
    }

    /// The files dealt out in turn to `threads` threads, each writing and flushing its own (an
    /// fsync blocks in the kernel, so these are threads of their own, not a dispatch queue's one
    /// per core).
    private final class Writes: @unchecked Sendable {
        let files: [(path: String, data: Data)]
        let threads: Int
        private let lock = NSLock()
        private var failures: [Int: Problem] = [:]

        init(files: [(path: String, data: Data)], threads: Int) {
            self.files = files
            self.threads = threads
        }

        var firstFailure: (path: String, problem: Problem)? {
            failures.keys.min().map { (files[$0].path, failures[$0]!) }
        }

        func run() {
            let done = DispatchGroup()
            for worker in 0..<threads {
                done.enter()
                Thread.detachNewThread { [self] in
                    var index = worker
                    while index < files.count {
                        if let problem = FileSystem.write(files[index].data, to: files[index].path) {
                            lock.lock()
                            failures[index] = problem
                            lock.unlock()
                        }
                        index += threads
                    }
                    done.leave()
                }
            }
            done.wait()
        }
    }

    /// Creates the folder and any missing folders above it.
    public static func makeDirectories(_ path: String) -> Problem? {
        if kind(path) == .directory || (kind(path) == .symlink && (try? resolvedKind(path).get()) == .directory) { return nil }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, let problem = makeDirectories(parent) { return problem }
        if mkdir(path, 0o755) != 0, errno != EEXIST { return Problem(errno: errno) }
        return nil
    }

    public static func rename(_ from: String, _ to: String) -> Problem? {
        systemRename(from, to) == 0 ? nil : Problem(errno: errno)
    }

    /// Removes a file or a symbolic link (not what it points to).
    public static func remove(_ path: String) -> Problem? {
        unlink(path) == 0 || errno == ENOENT ? nil : Problem(errno: errno)
    }

    /// Removes a folder and everything below it, never following symbolic links.
    @discardableResult
    public static func removeTree(_ path: String) -> Problem? {
        switch kind(path) {
        case .missing: return nil
        case .directory:
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                if let problem = removeTree(path + "/" + name) { return problem }
            }
            return rmdir(path) == 0 ? nil : Problem(errno: errno)
        default:
            return remove(path)
        }
    }

    /// Whether the current user may create and remove entries in the folder `path`.
    public static func isWritableDirectory(_ path: String) -> Problem? {
        access(path, W_OK | X_OK) == 0 ? nil : Problem(errno: errno)
    }
}
