import CloudFormation

/// Messages about environment files. Each has a test on its full text.
extension Diagnostic {
    static func missingEnvironmentsFolder(_ folder: String) -> Diagnostic {
        Diagnostic(
            "there is no '\(folder)' folder here", at: SourceLocation(file: folder),
            hint: "run synth from the repository root, or pass --root <path to the repository>")
    }

    static func missingFile(_ file: String) -> Diagnostic {
        Diagnostic(
            "file is missing", at: SourceLocation(file: file),
            hint: "create it; see README.md, section 'Adding an environment'")
    }

    static func notUTF8(_ file: String) -> Diagnostic {
        Diagnostic("file is not UTF-8 text", at: SourceLocation(file: file), hint: "save it as UTF-8")
    }

    static func emptyFile(_ file: String) -> Diagnostic {
        Diagnostic(
            "file is empty", at: SourceLocation(file: file),
            hint: "an environment file is a mapping of fields; see README.md, section 'Adding an environment'")
    }

    static func notAMapping(_ file: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "file must be a mapping of fields", at: location,
            hint: "write one 'field: value' per line; see README.md, section 'Adding an environment'")
    }

    static func malformedYAML(file: String, problem: String, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(
            "malformed YAML: \(problem)", at: location ?? SourceLocation(file: file),
            hint: "check indentation and quoting near this line")
    }

    static func missingField(_ field: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("missing field '\(field)'", at: location, hint: "add '\(field.split(separator: ".").last ?? "")': ... to this mapping")
    }

    static func wrongType(_ field: String, expected: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("field '\(field)' must be \(expected)", at: location, hint: "quote values that are text, e.g. account: \"123456789012\"")
    }

    static func unknownField(_ field: String, known: [String], at location: SourceLocation) -> Diagnostic {
        Diagnostic("unknown field '\(field)'", at: location, hint: "known fields here: \(known.joined(separator: ", "))")
    }

    static func invalidAccountId(_ id: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "account id '\(id)' must be 12 digits", at: location,
            hint: "copy it from the account menu, e.g. \"123456789012\" (quoted, to keep leading zeros)")
    }

    static func unknownRegion(_ region: String, at location: SourceLocation) -> Diagnostic {
        let near = Regions.all.filter { $0.hasPrefix(String(region.prefix(3))) }
        let suggestion = near.isEmpty ? "e.g. eu-west-1" : "regions starting alike: \(near.joined(separator: ", "))"
        return Diagnostic("unknown region '\(region)'", at: location, hint: suggestion)
    }

    static func invalidDomain(_ domain: String, problem: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("domain '\(domain)' \(problem)", at: location, hint: "write a lowercase DNS name without a trailing dot, e.g. dev.example.com")
    }

    static func domainUnderNoApex(_ domain: String, apexDomains: [String], organisationFile: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "domain '\(domain)' is under none of the organisation's apex domains", at: location,
            hint: "\(organisationFile) declares \(apexDomains.joined(separator: ", ")); use a subdomain of one of them, or add its apex to domains: there")
    }

    static func domainIsApex(_ domain: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "domain '\(domain)' is an apex domain, owned by the network account", at: location,
            hint: "own a subdomain of it, e.g. '<env>.\(domain)', delegated from the apex zone; records in the apex itself go in a stack of the network account")
    }

    static func zoneInsideOwnedZone(_ zone: String, owned: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "zone '\(zone)' lies inside '\(owned)', which this environment already owns", at: location,
            hint: "put its records in the zone '\(owned)' instead; list in zones: only names outside the environment's other zones")
    }

    static func noApexDomains(at location: SourceLocation) -> Diagnostic {
        Diagnostic("domains: lists no apex domain", at: location, hint: "list at least one, e.g. domains: [example.com]")
    }

    static func domainAndDomains(at location: SourceLocation) -> Diagnostic {
        Diagnostic("both domain: and domains: are given", at: location, hint: "list every apex domain under domains: and remove domain:")
    }

    static func duplicateApexDomain(_ domain: String, firstLine: Int?, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "apex domain '\(domain)' is listed twice\(firstLine.map { " (first on line \($0))" } ?? "")", at: location,
            hint: "keep one of them: each apex is one hosted zone in the network account")
    }

    static func nestedApexDomain(_ inner: String, within apex: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "apex domain '\(inner)' lies inside the apex domain '\(apex)'", at: location,
            hint: "remove '\(inner)' from domains:; an environment that owns it gets it delegated from '\(apex)'")
    }

    static func environmentNameMismatch(_ name: String, fileName: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("name '\(name)' differs from the file name '\(fileName).yaml'", at: location, hint: "set name: \(fileName), or rename the file")
    }

    static func reservedEnvironmentName(_ name: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "'\(name)' cannot name an environment", at: location,
            hint: "it is a synth command or folder name; reserved: \(EnvironmentCatalog.reservedNames.sorted().joined(separator: ", "))")
    }

    public static func unknownEnvironment(_ name: String, known: [String], folder: String) -> Diagnostic {
        Diagnostic(
            "unknown environment '\(name)'", at: SourceLocation(file: "\(folder)/\(name).yaml"),
            hint: known.isEmpty ? "add \(folder)/\(name).yaml" : "known environments: \(known.joined(separator: ", "))")
    }

    static func invalidOrganisationalUnit(_ unit: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "organisational unit '\(unit)' is not an OU id", at: location,
            hint: "copy it from AWS Organizations, e.g. ou-ab12-cdefgh34")
    }

    static func unknownTier(_ tier: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "tier '\(tier)' is not one Stratus knows", at: location,
            hint: "use tier: production for an environment that serves real users, or tier: development (the default)")
    }

    static func unreadableFile(_ file: String, _ problem: FileSystem.Problem) -> Diagnostic {
        Diagnostic("cannot read this file: \(problem.description)", at: SourceLocation(file: file), hint: problem.hint)
    }

    static func fileTooLarge(_ file: String, bytes: Int, limit: Int) -> Diagnostic {
        Diagnostic(
            "file is \(bytes) bytes; an environment file may be at most \(limit)", at: SourceLocation(file: file),
            hint: "an environment file holds a few fields; see README.md, section 'Adding an environment'")
    }

    static func nulByte(_ file: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("file contains a NUL byte", at: location, hint: "save it as plain UTF-8 text")
    }

    static func duplicateKey(_ key: String, first line: Int, at location: SourceLocation) -> Diagnostic {
        Diagnostic("field '\(key)' is given twice (first on line \(line))", at: location, hint: "keep one of them")
    }

    static func nestedTooDeeply(at location: SourceLocation) -> Diagnostic {
        Diagnostic("the YAML is nested too deeply", at: location, hint: "an environment file is a flat mapping with a few nested fields; see README.md, section 'Adding an environment'")
    }

    static func emptyRegion(at location: SourceLocation) -> Diagnostic {
        Diagnostic("region is empty", at: location, hint: "name the region the environment deploys to, e.g. eu-west-1")
    }

    static func invalidEnvironmentName(_ name: String, file: String) -> Diagnostic {
        Diagnostic(
            "environment name '\(name)' must be lowercase letters, digits and hyphens, starting with a letter (at most 40)",
            at: SourceLocation(file: file),
            hint: "it becomes part of stack names: rename the file (and its name: field), e.g. Environments/staging.yaml")
    }

    static func noEnvironments(_ folder: String) -> Diagnostic {
        Diagnostic(
            "there are no environment files in \(folder)/", at: SourceLocation(file: folder),
            hint: "add \(folder)/<name>.yaml; see README.md, section 'Adding an environment'")
    }

    static func duplicateDomain(_ domain: String, first: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "domain '\(domain)' is also the domain of \(first)", at: location,
            hint: "give each environment its own domain: the apex zone delegates each one once")
    }

    static func duplicateBranch(_ branch: String, repository: String, first: String, second: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "branch '\(branch)' of \(repository) is also deployed by \(first)", at: location,
            hint: "map each branch to one environment (\(first) and \(second))")
    }

    static func invalidBranch(_ branch: String, problem: String, at location: SourceLocation) -> Diagnostic {
        let shown = branch.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return Diagnostic(
            "branch '\(shown)' is not a valid git branch name: it \(problem)", at: location,
            hint: "use a name git accepts (git check-ref-format --branch <name>), e.g. main or release/1.2")
    }

    static func invalidRepository(_ repository: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic("repository '\(repository)' is not OWNER/NAME", at: location, hint: "e.g. brainfartlab/ai-quiz")
    }

    static func invalidSourceConnection(_ connection: String, problem: String, at location: SourceLocation) -> Diagnostic {
        let token = problem.contains("token")
        return Diagnostic(
            token ? "sourceConnection is a GitHub token, not a connection" : "sourceConnection '\(connection)' \(problem)", at: location,
            hint: "create a CodeStar (CodeConnections) connection to GitHub in the cicd account and put its ARN here; tokens end up in templates and logs")
    }
}
