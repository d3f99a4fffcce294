import CloudFormation
import Foundation
import Yams

/// The environment files of a repository: `Environments/organisation.yaml` for the shared accounts
/// and one `Environments/<name>.yaml` per environment.
///
/// Files are decoded with Codable (through Yams) and validated; every problem becomes a
/// `Diagnostic` that names the file, the line and column where known, and the field.
public struct EnvironmentCatalog: Sendable {
    public static let folder = "Environments"
    public static let organisationFile = "organisation.yaml"

    /// The repository root the catalog was read from.
    public let root: URL
    /// Environment names, from the file names, sorted.
    public let names: [String]

    /// Lists the environment files under `root/Environments`.
    public init(root: URL) throws {
        self.root = root
        let folder = root.appendingPathComponent(Self.folder)
        switch FileSystem.resolvedKind(folder.path) {
        case .success(.directory): break
        case .success(.missing): throw DiagnosticError(.missingEnvironmentsFolder(Self.folder))
        case .success: throw DiagnosticError(.unreadableFile(Self.folder, .notDirectory))
        case .failure(let problem): throw DiagnosticError(.unreadableFile(Self.folder, problem))
        }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw DiagnosticError(.unreadableFile(Self.folder, .permissionDenied))
        }
        names = files.filter { $0.hasSuffix(".yaml") && $0 != Self.organisationFile }
            .map { String($0.dropLast(".yaml".count)) }
            .sorted()
    }

    /// Decodes and validates the shared-accounts file.
    public func organisation() throws -> Organisation {
        let file = "\(Self.folder)/\(Self.organisationFile)"
        let document = try YAMLDocument(root: root, path: file)
        var problems = document.unknownFields(in: [], allowed: OrganisationFile.CodingKeys.allCases.map(\.rawValue))
        problems += document.unknownFields(in: ["accounts"], allowed: AccountsFile.CodingKeys.allCases.map(\.rawValue))
        for name in AccountsFile.CodingKeys.allCases.map(\.rawValue) {
            problems += document.unknownFields(in: ["accounts", name], allowed: AccountFile.CodingKeys.allCases.map(\.rawValue))
        }
        let decoded = try document.decode(OrganisationFile.self, alongWith: problems)
        let apexDomains = Self.apexDomains(decoded, in: document, problems: &problems)
        if let connection = decoded.sourceConnection, let problem = Self.connectionProblem(connection) {
            problems.append(.invalidSourceConnection(connection, problem: problem, at: document.location(of: ["sourceConnection"])))
        }
        func account(_ name: String, _ entry: AccountFile) -> Account {
            let path = ["accounts", name]
            problems += validate(accountId: entry.id, region: entry.region, in: document, path: path + ["id"], regionPath: path + ["region"])
            return Account(name: name, id: entry.id, region: entry.region, profile: entry.profile)
        }
        let management = account("management", decoded.accounts.management)
        let network = account("network", decoded.accounts.network)
        let cicd = account("cicd", decoded.accounts.cicd)
        if !problems.isEmpty { throw DiagnosticError(problems) }
        return Organisation(
            apexDomains: apexDomains, management: management, network: network, cicd: cicd,
            sourceConnection: decoded.sourceConnection, file: file)
    }

    /// The apex domains of `domains:` (or of the older single `domain:`), validated: valid DNS
    /// names, none twice, none inside another (that one is a subdomain to delegate, not an apex).
    private static func apexDomains(_ decoded: OrganisationFile, in document: YAMLDocument, problems: inout [Diagnostic]) -> [String] {
        let entries: [(name: String, path: [String])]
        switch (decoded.domain, decoded.domains) {
        case (let single?, nil):
            entries = [(single, ["domain"])]
        case (nil, let list?):
            if list.isEmpty { problems.append(.noApexDomains(at: document.location(of: ["domains"]))) }
            entries = list.enumerated().map { ($1, ["domains", String($0)]) }
        case (_?, _?):
            problems.append(.domainAndDomains(at: document.location(of: ["domains"])))
            return []
        case (nil, nil):
            problems.append(.missingField("domains", at: document.location(of: [])))
            return []
        }
        var valid: [(name: String, path: [String])] = []
        for entry in entries {
            if let problem = DomainName.problem(with: entry.name) {
                problems.append(.invalidDomain(entry.name, problem: problem, at: document.location(of: entry.path)))
            } else if let first = valid.first(where: { $0.name == entry.name }) {
                problems.append(.duplicateApexDomain(entry.name, firstLine: document.location(of: first.path).line, at: document.location(of: entry.path)))
            } else if let outer = valid.first(where: { DomainName.isWithin(entry.name, zone: $0.name) || DomainName.isWithin($0.name, zone: entry.name) }) {
                let (inner, apex) = DomainName.isWithin(entry.name, zone: outer.name) ? (entry.name, outer.name) : (outer.name, entry.name)
                problems.append(.nestedApexDomain(inner, within: apex, at: document.location(of: entry.path)))
            } else {
                valid.append(entry)
            }
        }
        return valid.map(\.name)
    }

    /// Decodes and validates `Environments/<name>.yaml`.
    public func environment(_ name: String, organisation: Organisation) throws -> Environment {
        guard names.contains(name) else {
            throw DiagnosticError(.unknownEnvironment(name, known: names, folder: Self.folder))
        }
        let file = "\(Self.folder)/\(name).yaml"
        let nameProblem: [Diagnostic] = Self.isValidName(name) ? [] : [.invalidEnvironmentName(name, file: file)]
        let document: YAMLDocument
        do { document = try YAMLDocument(root: root, path: file) } catch let error as DiagnosticError {
            throw DiagnosticError(nameProblem + error.diagnostics)
        }
        var problems = nameProblem + document.unknownFields(in: [], allowed: EnvironmentFile.CodingKeys.allCases.map(\.rawValue))
        problems += document.unknownFields(in: ["pipeline"], allowed: ["repository", "branch"])
        let decoded = try document.decode(EnvironmentFile.self, alongWith: problems)
        if decoded.name != name, nameProblem.isEmpty {
            problems.append(.environmentNameMismatch(decoded.name, fileName: name, at: document.location(of: ["name"])))
        }
        if Self.reservedNames.contains(name) {
            problems.append(.reservedEnvironmentName(name, at: document.location(of: ["name"])))
        }
        problems += validate(accountId: decoded.account, region: decoded.region, in: document, path: ["account"], regionPath: ["region"])
        problems += Self.ownedDomainProblems(decoded.domain, at: ["domain"], in: document, organisation: organisation)
        for (index, zone) in (decoded.zones ?? []).enumerated() {
            let path = ["zones", String(index)]
            let earlier = [decoded.domain] + (decoded.zones ?? []).prefix(index)
            if let taken = earlier.first(where: { DomainName.isWithin(zone, zone: $0) }) {
                problems.append(.zoneInsideOwnedZone(zone, owned: taken, at: document.location(of: path)))
            } else if let inner = earlier.first(where: { DomainName.isWithin($0, zone: zone) }) {
                problems.append(.zoneInsideOwnedZone(inner, owned: zone, at: document.location(of: path)))
            } else {
                problems += Self.ownedDomainProblems(zone, at: path, in: document, organisation: organisation)
            }
        }
        if let unit = decoded.organisationalUnit, !OrganisationIds.isOrganisationalUnit(unit) {
            problems.append(.invalidOrganisationalUnit(unit, at: document.location(of: ["organisationalUnit"])))
        }
        if let pipeline = decoded.pipeline {
            if let problem = GitRefName.problem(with: pipeline.branch) {
                problems.append(.invalidBranch(pipeline.branch, problem: problem, at: document.location(of: ["pipeline", "branch"])))
            }
            if !Self.isRepository(pipeline.repository) {
                problems.append(.invalidRepository(pipeline.repository, at: document.location(of: ["pipeline", "repository"])))
            }
        }
        if let tier = decoded.tier, Tier(rawValue: tier) == nil {
            problems.append(.unknownTier(tier, at: document.location(of: ["tier"])))
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        return Environment(
            name: name,
            account: Account(name: name, id: decoded.account, region: decoded.region, profile: decoded.profile),
            domain: decoded.domain,
            zones: decoded.zones ?? [],
            file: file,
            organisationalUnit: decoded.organisationalUnit,
            pipeline: decoded.pipeline,
            hotswap: decoded.hotswap ?? true,
            tier: decoded.tier.flatMap(Tier.init(rawValue:)) ?? .development
        )
    }

    /// Why `name`, a domain an environment owns, cannot be delegated to it: not a DNS name, an apex
    /// itself, or under none of the apex domains.
    private static func ownedDomainProblems(_ name: String, at path: [String], in document: YAMLDocument, organisation: Organisation) -> [Diagnostic] {
        if let problem = DomainName.problem(with: name) {
            return [.invalidDomain(name, problem: problem, at: document.location(of: path))]
        }
        if organisation.apexDomains.contains(name) {
            return [.domainIsApex(name, at: document.location(of: path))]
        }
        if organisation.apex(of: name) == nil {
            return [.domainUnderNoApex(name, apexDomains: organisation.apexDomains, organisationFile: organisation.file, at: document.location(of: path))]
        }
        return []
    }

    /// Names an environment may not have, because they are `synth` subcommands or folder names.
    public static let reservedNames: Set<String> = ["list", "diff", "check", "deploy", "review", "shared", "assets", "organisation"]

    /// Decodes every environment, in name order.
    /// Two environments may not share a domain (the apex zone would get two NS records for one
    /// name), nor a pipeline branch; each is reported at the second file, naming the first.
    public func environments(organisation: Organisation) throws -> [Environment] {
        if names.isEmpty { throw DiagnosticError(.noEnvironments(Self.folder)) }
        var problems: [Diagnostic] = []
        var environments: [Environment] = []
        for name in names {
            do { environments.append(try environment(name, organisation: organisation)) } catch let error as DiagnosticError { problems += error.diagnostics }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        var domains: [String: Environment] = [:]
        var branches: [PipelineSettings: Environment] = [:]
        for environment in environments {
            // The environment's domain and its other zones: each is delegated once, to one account.
            let owned = [(environment.domain, ["domain"])] + environment.zones.enumerated().map { ($1, ["zones", String($0)]) }
            for (name, path) in owned {
                if let first = domains[name] {
                    let location = (try? YAMLDocument(root: root, path: environment.file))?.location(of: path) ?? SourceLocation(file: environment.file)
                    problems.append(.duplicateDomain(name, first: first.file, at: location))
                } else {
                    domains[name] = environment
                }
            }
            if let pipeline = environment.pipeline {
                if let first = branches[pipeline] {
                    let location = (try? YAMLDocument(root: root, path: environment.file))?.location(of: ["pipeline", "branch"]) ?? SourceLocation(file: environment.file)
                    problems.append(.duplicateBranch(pipeline.branch, repository: pipeline.repository, first: first.file, second: environment.file, at: location))
                } else {
                    branches[pipeline] = environment
                }
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        return environments
    }

    /// Environment names end up in stack names, resource names and DNS labels.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 40 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isRepository(_ repository: String) -> Bool {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && part.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
        }
    }

    /// Why `connection` is not a CodeStar (CodeConnections) connection ARN, if it is not.
    static func connectionProblem(_ connection: String) -> String? {
        if ["ghp_", "github_pat_", "gho_", "ghs_", "ghu_"].contains(where: { connection.hasPrefix($0) }) {
            return "is a GitHub token, not a connection"
        }
        if connection.hasPrefix("arn:aws:codestar-connections:") || connection.hasPrefix("arn:aws:codeconnections:") { return nil }
        return "is not a CodeStar connection ARN"
    }

    private func validate(accountId: String, region: String, in document: YAMLDocument, path: [String], regionPath: [String]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !OrganisationIds.isAccountId(accountId) {
            problems.append(.invalidAccountId(accountId, at: document.location(of: path)))
        }
        if region.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.emptyRegion(at: document.location(of: regionPath)))
        } else if !Regions.isKnown(region) {
            problems.append(.unknownRegion(region, at: document.location(of: regionPath)))
        }
        return problems
    }
}

// MARK: - File shapes

struct EnvironmentFile: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, account, region, domain, zones, organisationalUnit, profile, pipeline, hotswap, tier }
    var name: String
    var account: String
    var region: String
    var domain: String
    var zones: [String]?
    var organisationalUnit: String?
    var profile: String?
    var pipeline: PipelineSettings?
    var hotswap: Bool?
    var tier: String?
}

struct OrganisationFile: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case domain, domains, accounts, sourceConnection }
    /// One apex domain (the older form); `domains:` lists several.
    var domain: String?
    var domains: [String]?
    var accounts: AccountsFile
    var sourceConnection: String?
}

struct AccountsFile: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case management, network, cicd }
    var management: AccountFile
    var network: AccountFile
    var cicd: AccountFile
}

struct AccountFile: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case id, region, profile }
    var id: String
    var region: String
    var profile: String?
}

// MARK: - Reading YAML with locations

/// A parsed YAML file that remembers where each node came from, so that a decoding or
/// validation problem can point at its line and column.
struct YAMLDocument {
    static let maximumBytes = 256 * 1024
    let file: String
    let node: Node

    init(root: URL, path: String) throws {
        file = path
        let url = root.appendingPathComponent(path)
        let data: Data
        switch FileSystem.read(url.path) {
        case .success(let contents): data = contents
        case .failure(.missing): throw DiagnosticError(.missingFile(path))
        case .failure(let problem): throw DiagnosticError(.unreadableFile(path, problem))
        }
        // An environment file is a few hundred bytes; a huge one is a mistake, not worth parsing.
        if data.count > Self.maximumBytes { throw DiagnosticError(.fileTooLarge(path, bytes: data.count, limit: Self.maximumBytes)) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticError(.notUTF8(path))
        }
        if text.unicodeScalars.contains("\u{0}") {
            throw DiagnosticError(.nulByte(path, at: Self.location(ofNulIn: text, file: path)))
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw DiagnosticError(.emptyFile(path))
            }
            self.node = node
        } catch let error as YamlError {
            if case .duplicatedKeysInMapping = error, let duplicate = DuplicateKeys.second(in: text) {
                throw DiagnosticError(.duplicateKey(duplicate.key, first: duplicate.firstLine, at: SourceLocation(file: path, line: duplicate.line, column: duplicate.column)))
            }
            throw DiagnosticError(Self.diagnostic(for: error, file: path))
        }
        guard case .mapping = node else {
            throw DiagnosticError(.notAMapping(path, at: location(of: node)))
        }
    }

    /// Decodes the document; a decoding problem is thrown together with `earlier` problems
    /// (unknown fields, which often explain a missing one).
    func decode<T: Decodable>(_ type: T.Type, alongWith earlier: [Diagnostic] = []) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            throw DiagnosticError(earlier + [diagnostic(for: error)])
        } catch let error as YamlError {
            throw DiagnosticError(earlier + [Self.diagnostic(for: error, file: file)])
        }
    }

    func location(of node: Node?) -> SourceLocation {
        SourceLocation(file: file, line: node?.mark?.line, column: node?.mark?.column)
    }

    /// The location of the value at `path` (mapping keys, or decimal indexes into a sequence), or
    /// of the nearest node above it.
    func location(of path: [String]) -> SourceLocation {
        var current = node
        for key in path {
            if case .sequence(let sequence) = current, let index = Int(key), sequence.indices.contains(index) {
                current = sequence[index]
                continue
            }
            guard case .mapping(let mapping) = current, let next = mapping[key] else { break }
            current = next
        }
        return location(of: current)
    }

    /// One diagnostic per key of the mapping at `path` that is not in `allowed`.
    func unknownFields(in path: [String], allowed: [String]) -> [Diagnostic] {
        var current = node
        for key in path {
            guard case .mapping(let mapping) = current, let next = mapping[key] else { return [] }
            current = next
        }
        guard case .mapping(let mapping) = current else { return [] }
        return mapping.keys.compactMap { key -> Diagnostic? in
            guard let name = key.string, !allowed.contains(name) else { return nil }
            return .unknownField(name, known: allowed, at: location(of: key))
        }
    }

    private func diagnostic(for error: DecodingError) -> Diagnostic {
        func keys(_ path: [CodingKey]) -> [String] { path.map(\.stringValue) }
        switch error {
        case .keyNotFound(let key, let context):
            let field = (keys(context.codingPath) + [key.stringValue]).joined(separator: ".")
            return .missingField(field, at: location(of: keys(context.codingPath)))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = keys(context.codingPath).joined(separator: ".")
            return .wrongType(field, expected: Self.describe(type), at: location(of: keys(context.codingPath)))
        case .dataCorrupted(let context):
            let field = keys(context.codingPath).joined(separator: ".")
            return .wrongType(field, expected: "a value", at: location(of: keys(context.codingPath)))
        @unknown default:
            return .malformedYAML(file: file, problem: "\(error)", at: nil)
        }
    }

    /// Yams names the node kind it expected (Node.Scalar, Node.Mapping) or the Swift type.
    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Mapping") { return "a mapping of fields" }
        if name.contains("Sequence") || name.hasPrefix("Array") { return "a list" }
        return "a single value, such as text"
    }

    static func location(ofNulIn text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            if scalar == "\u{0}" { break }
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            if problem.lowercased().contains("maximum nesting level") {
                return .nestedTooDeeply(at: SourceLocation(file: file, line: mark.line, column: mark.column))
            }
            return .malformedYAML(file: file, problem: problem, at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .duplicatedKeysInMapping(let duplicates, _):
            return .malformedYAML(file: file, problem: "duplicate keys \(duplicates.joined(separator: ", "))", at: SourceLocation(file: file))
        default:
            return .malformedYAML(file: file, problem: "\(error)", at: SourceLocation(file: file))
        }
    }
}
