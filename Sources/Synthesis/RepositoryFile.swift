import CloudFormation
import Foundation

/// Why a file named by a construct (a state machine definition) cannot be used.
public enum RepositoryFileProblem: Error, Equatable, Sendable {
    /// The path is absolute, or it (or a link on the way) leads outside the repository.
    case outsideRepository
    /// Nothing is there, or something that is not a regular file, or it cannot be read.
    case unreadable(FileSystem.Problem)
    /// The bytes are not UTF-8 text.
    case notText
}

extension App {
    /// The text of `path`, a file relative to the repository root. Like code folders, the file must
    /// be inside the repository: an absolute path, or one that (through `..` or a symbolic link)
    /// ends outside it, is refused.
    public func readRepositoryFile(_ path: String) -> Result<String, RepositoryFileProblem> {
        guard !path.hasPrefix("/"), !path.isEmpty else { return .failure(.outsideRepository) }
        var depth = 0
        for component in path.split(separator: "/") where component != "." {
            depth += component == ".." ? -1 : 1
            if depth < 0 { return .failure(.outsideRepository) }
        }
        let full = rootDirectory.path + "/" + path
        switch FileSystem.resolvedKind(full) {
        case .failure(let problem): return .failure(.unreadable(problem))
        case .success(.missing): return .failure(.unreadable(.missing))
        case .success(.directory): return .failure(.unreadable(.isDirectory))
        case .success(.special): return .failure(.unreadable(.notRegularFile))
        case .success: break
        }
        guard let root = Self.realPath(rootDirectory.path), let real = Self.realPath(full),
            real.hasPrefix(root == "/" ? "/" : root + "/")
        else { return .failure(.outsideRepository) }
        switch FileSystem.read(real) {
        case .failure(let problem): return .failure(.unreadable(problem))
        case .success(let data):
            guard let text = String(data: data, encoding: .utf8) else { return .failure(.notText) }
            return .success(text)
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
