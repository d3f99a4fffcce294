import CloudFormation
import Foundation

/// A folder of the repository packaged as a deterministic ZIP archive and named by its SHA-256.
/// `synth` writes it to `out/<env>/assets/<hash>.zip`; the deploy plan uploads it to the asset
/// bucket of the account and region of every stack that uses it, before those stacks deploy.
public struct Asset: Hashable, Sendable {
    /// The folder, relative to the repository root: `Stacks/Functions/quiz/games`.
    public let source: String
    /// SHA-256 of the archive, 64 hex digits.
    public let hash: String
    public let archive: [UInt8]

    /// The object key in the asset bucket, and the file name under `out/<env>/assets/`.
    public var key: String { "\(hash).zip" }

    public static func == (lhs: Asset, rhs: Asset) -> Bool { lhs.hash == rhs.hash }
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// Files left out of archives: caches and editor droppings.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "__pycache__" || name.hasSuffix(".pyc") || name == "node_modules"
    }

    /// Lambda's limits: 250 MB for the unzipped code, 50 MB for a zip uploaded directly.
    public static let maximumUnzippedBytes = 250 * 1024 * 1024
    public static let maximumZippedBytes = 50 * 1024 * 1024

    /// Packages `folder` (relative to `root`). Trusts nothing in it: the folder and every
    /// symbolic link in it must stay inside the repository, a link loop, a dangling link, an
    /// unreadable file or a FIFO is a problem naming it, and Lambda's size limits hold.
    static func package(
        _ folder: String, root: URL, maximumUnzipped: Int = maximumUnzippedBytes, maximumZipped: Int = maximumZippedBytes
    ) -> Result<Asset, AssetProblem> {
        guard !folder.hasPrefix("/") else { return .failure(.outsideRepository(folder)) }
        guard let rootReal = realPath(root.path) else { return .failure(.missing) }
        let start = root.path + "/" + folder
        switch FileSystem.resolvedKind(start) {
        case .success(.directory): break
        case .success(.missing): return .failure(.missing)
        case .success: return .failure(.notAFolder)
        case .failure(let problem): return .failure(.unreadable(folder, problem))
        }
        guard let startReal = realPath(start), isWithin(startReal, rootReal) else { return .failure(.outsideRepository(folder)) }

        var entries: [ZipArchive.Entry] = []
        var total = 0
        var problems: [AssetProblem] = []
        /// `directory` is a real path; `shown` the path to report, relative to the root; `ancestors`
        /// the real paths of the folders being visited, to find links that lead back into them.
        func visit(_ directory: String, shown: String, prefix: String, ancestors: [String]) {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
                problems.append(.unreadable(shown, .permissionDenied))
                return
            }
            for name in names.sorted() where !isIgnored(name) {
                let child = directory + "/" + name
                let shownChild = shown + "/" + name
                var real = child
                var kind = FileSystem.kind(child)
                if kind == .symlink {
                    switch FileSystem.resolvedKind(child) {
                    case .failure(let problem):
                        problems.append(problem == .symlinkLoop ? .linkLoop(shownChild) : .unreadable(shownChild, problem))
                        continue
                    case .success(let resolved):
                        guard let target = realPath(child) else {
                            problems.append(.unreadable(shownChild, .danglingSymlink))
                            continue
                        }
                        guard isWithin(target, rootReal) else {
                            problems.append(.linkOutsideRepository(shownChild, target))
                            continue
                        }
                        if resolved == .directory, ancestors.contains(where: { isWithin($0, target) }) {
                            problems.append(.linkLoop(shownChild))
                            continue
                        }
                        real = target
                        kind = resolved
                    }
                }
                switch kind {
                case .directory:
                    visit(real, shown: shownChild, prefix: prefix + name + "/", ancestors: ancestors + [real])
                case .file:
                    var info = stat()
                    let size = stat(real, &info) == 0 ? Int(info.st_size) : 0
                    total += size
                    if total > maximumUnzipped { continue }  // measured, not read
                    switch FileSystem.read(real) {
                    case .success(let data): entries.append(ZipArchive.Entry(path: prefix + name, contents: [UInt8](data)))
                    case .failure(let problem): problems.append(.unreadable(shownChild, problem))
                    }
                case .missing:
                    problems.append(.unreadable(shownChild, .missing))
                case .special, .symlink:
                    problems.append(.unreadable(shownChild, .notRegularFile))
                }
            }
        }
        visit(startReal, shown: folder, prefix: "", ancestors: [startReal])
        if let problem = problems.first { return .failure(problem) }
        if total > maximumUnzipped { return .failure(.tooLargeUnzipped(total, limit: maximumUnzipped)) }
        if entries.isEmpty { return .failure(.empty) }
        let archive: [UInt8]
        do { archive = try ZipArchive.archive(entries) } catch {
            switch error {
            case .pathTooLong(let path): return .failure(.pathTooLong(folder + "/" + path))
            case .duplicatePath(let path): return .failure(.unreadable(folder + "/" + path, .other("appears twice in the archive")))
            }
        }
        if archive.count > maximumZipped { return .failure(.tooLargeZipped(archive.count, limit: maximumZipped)) }
        return .success(Asset(source: folder, hash: SHA256.hex(archive), archive: archive))
    }

    enum AssetProblem: Error, Equatable {
        case missing, empty, notAFolder
        case outsideRepository(String)
        case linkOutsideRepository(String, String)
        case linkLoop(String)
        case unreadable(String, FileSystem.Problem)
        case tooLargeUnzipped(Int, limit: Int)
        case tooLargeZipped(Int, limit: Int)
        case pathTooLong(String)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is `folder` or below it (both real paths).
    private static func isWithin(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }
}

/// The per-account, per-region bucket code assets are uploaded to. The account bootstrap
/// creates it with exactly this name.
public enum AssetBucket {
    public static let prefix = "stratus-assets"

    /// `stratus-assets-123456789012-eu-west-1`.
    public static func name(accountId: String, region: String) -> String {
        "\(prefix)-\(accountId)-\(region)"
    }

    /// The bucket name inside a template, for whichever account and region it is deployed to.
    public static var name: Value { .sub("\(prefix)-${AWS::AccountId}-${AWS::Region}", Object()) }
}

extension Diagnostic {
    /// A code folder that cannot be packaged, reported against the construct that uses it.
    static func assetProblem(_ problem: Asset.AssetProblem, folder: String, construct: Construct) -> Diagnostic {
        func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }
        switch problem {
        case .missing:
            return .construct(construct, "code folder '\(folder)' does not exist", hint: "give a folder relative to the repository root, e.g. Stacks/Functions/quiz/games")
        case .notAFolder:
            return .construct(construct, "code folder '\(folder)' is a file, not a folder", hint: "give the folder that holds the function's code")
        case .empty:
            return .construct(construct, "code folder '\(folder)' has no files", hint: "put the function's code in it (hidden files and __pycache__ are left out)")
        case .outsideRepository:
            return .construct(
                construct, "code folder '\(folder)' is outside the repository",
                hint: "give a folder inside the repository, relative to its root, e.g. Stacks/Functions/quiz/games")
        case .linkOutsideRepository(let path, let target):
            return .construct(
                construct, "'\(path)' is a symbolic link to '\(target)', outside the repository",
                hint: "copy what the function needs into its folder; links in a code folder may only point inside the repository")
        case .linkLoop(let path):
            return .construct(
                construct, "'\(path)' is a symbolic link that loops back into the code folder",
                hint: "remove the link, or point it at a folder that does not contain it")
        case .unreadable(let path, let reason):
            return .construct(construct, "cannot package code: \(reason.statement("'\(path)'"))", hint: reason.hint)
        case .tooLargeUnzipped(let bytes, let limit):
            return .construct(
                construct, "code folder '\(folder)' is \(bytes) bytes (\(megabytes(bytes))) unzipped; Lambda takes at most \(limit) bytes (\(megabytes(limit)))",
                hint: "leave build tools and tests out, move dependencies to a layer, or split the function")
        case .tooLargeZipped(let bytes, let limit):
            return .construct(
                construct, "code folder '\(folder)' zips to \(bytes) bytes (\(megabytes(bytes))); Lambda takes at most \(limit) bytes (\(megabytes(limit))) in a directly uploaded zip",
                hint: "archives are stored uncompressed, so the files themselves must stay under the limit: leave build tools and tests out or move dependencies to a layer")
        case .pathTooLong(let path):
            return .construct(
                construct, "cannot package '\(path.prefix(80))...': the path is longer than the 65535 bytes a ZIP entry can name",
                hint: "shorten the path")
        }
    }
}
