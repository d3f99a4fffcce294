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

    /// Packages `folder` (relative to `root`); the problem when it is missing or has no files.
    static func package(_ folder: String, root: URL) -> Result<Asset, AssetProblem> {
        let url = root.appendingPathComponent(folder)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(.missing)
        }
        var entries: [ZipArchive.Entry] = []
        func visit(_ directory: URL, prefix: String) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names.sorted() where !isIgnored(name) {
                let child = directory.appendingPathComponent(name)
                var childIsDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: child.path, isDirectory: &childIsDirectory) else { continue }
                if childIsDirectory.boolValue {
                    visit(child, prefix: prefix + name + "/")
                } else if let data = FileManager.default.contents(atPath: child.path) {
                    entries.append(ZipArchive.Entry(path: prefix + name, contents: [UInt8](data)))
                }
            }
        }
        visit(url, prefix: "")
        if entries.isEmpty { return .failure(.empty) }
        let archive = ZipArchive.archive(entries)
        return .success(Asset(source: folder, hash: SHA256.hex(archive), archive: archive))
    }

    enum AssetProblem: Error { case missing, empty }
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
