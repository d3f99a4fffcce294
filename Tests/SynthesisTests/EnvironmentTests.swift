import CloudFormation
import Foundation
import Synthesis
import TestSupport
import Testing

private let organisationYAML = """
    domain: example.com
    accounts:
      management:
        id: "900000000001"
        region: eu-west-1
      network:
        id: "900000000002"
        region: eu-west-1
      cicd:
        id: "900000000003"
        region: eu-west-1

    """

private let devYAML = """
    name: dev
    account: "800000000001"
    region: eu-west-1
    domain: dev.example.com

    """

/// A repository with Environments/organisation.yaml and the given environment files.
private func repository(_ files: [String: String], organisation: String = organisationYAML) throws -> TemporaryDirectory {
    let directory = try TemporaryDirectory()
    try directory.write("Environments/organisation.yaml", organisation)
    for (name, text) in files { try directory.write("Environments/\(name)", text) }
    return directory
}

/// The full text of the diagnostics loading `name` fails with.
private func problems(_ files: [String: String], loading name: String = "dev", organisation: String = organisationYAML) throws -> String {
    let directory = try repository(files, organisation: organisation)
    do {
        let catalog = try EnvironmentCatalog(root: directory.url)
        _ = try catalog.environment(name, organisation: try catalog.organisation())
        return "no error"
    } catch let error as DiagnosticError {
        return error.description
    }
}

@Suite struct EnvironmentTests {
    @Test func decodesAValidEnvironment() throws {
        let directory = try repository(["dev.yaml": devYAML, "prd.yaml": devYAML.replacingOccurrences(of: "dev", with: "prd")])
        let catalog = try EnvironmentCatalog(root: directory.url)
        #expect(catalog.names == ["dev", "prd"])
        let organisation = try catalog.organisation()
        #expect(organisation.network == Account(name: "network", id: "900000000002", region: "eu-west-1"))
        let dev = try catalog.environment("dev", organisation: organisation)
        #expect(dev.account == Account(name: "dev", id: "800000000001", region: "eu-west-1"))
        #expect(dev.domain == "dev.example.com")
        #expect(dev.file == "Environments/dev.yaml")
    }

    @Test func tierIsDevelopmentUnlessTheFileSaysProduction() throws {
        let directory = try repository(["dev.yaml": devYAML, "prd.yaml": devYAML.replacingOccurrences(of: "dev", with: "prd") + "tier: production\n"])
        let catalog = try EnvironmentCatalog(root: directory.url)
        let organisation = try catalog.organisation()
        #expect(try catalog.environment("dev", organisation: organisation).tier == .development)
        #expect(try catalog.environment("prd", organisation: organisation).isProduction)
    }

    @Test func anUnknownTierIsAnError() throws {
        #expect(try problems(["dev.yaml": devYAML + "tier: prod\n"]) == """
            Environments/dev.yaml:5:7: error: tier 'prod' is not one Stratus knows
              hint: use tier: production for an environment that serves real users, or tier: development (the default)
            """)
    }

    @Test func theRepositorysProductionEnvironmentsSayTheirTier() throws {
        let catalog = try EnvironmentCatalog(root: Repository.root)
        let organisation = try catalog.organisation()
        for name in ["prd", "hdoc-prod"] where catalog.names.contains(name) {
            #expect(try catalog.environment(name, organisation: organisation).tier == .production, "\(name)")
        }
    }

    @Test func unquotedAccountIdsKeepTheirDigits() throws {
        let text = devYAML.replacingOccurrences(of: "\"800000000001\"", with: "012345678901")
        let directory = try repository(["dev.yaml": text])
        let catalog = try EnvironmentCatalog(root: directory.url)
        #expect(try catalog.environment("dev", organisation: catalog.organisation()).account.id == "012345678901")
    }

    @Test func missingEnvironmentsFolder() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: DiagnosticError.self) { try EnvironmentCatalog(root: directory.url) }
        do { _ = try EnvironmentCatalog(root: directory.url) } catch let error as DiagnosticError {
            #expect(error.description == "Environments: error: there is no 'Environments' folder here\n  hint: run synth from the repository root, or pass --root <path to the repository>")
        }
    }

    @Test func unknownEnvironmentListsTheKnownOnes() throws {
        #expect(try problems(["dev.yaml": devYAML, "tst.yaml": devYAML], loading: "stg") == """
            Environments/stg.yaml: error: unknown environment 'stg'
              hint: known environments: dev, tst
            """)
    }

    @Test func malformedYAML() throws {
        #expect(try problems(["dev.yaml": "name: dev\naccount: [1\n"]) == """
            Environments/dev.yaml:3:1: error: malformed YAML: did not find expected ',' or ']'
              hint: check indentation and quoting near this line
            """)
    }

    @Test func emptyFile() throws {
        #expect(try problems(["dev.yaml": "# nothing\n"]) == """
            Environments/dev.yaml: error: file is empty
              hint: an environment file is a mapping of fields; see README.md, section 'Adding an environment'
            """)
    }

    @Test func notAMapping() throws {
        #expect(try problems(["dev.yaml": "- dev\n"]) == """
            Environments/dev.yaml:1:1: error: file must be a mapping of fields
              hint: write one 'field: value' per line; see README.md, section 'Adding an environment'
            """)
    }

    @Test func missingFieldAndItsMisspelling() throws {
        let text = devYAML.replacingOccurrences(of: "account:", with: "acount:")
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:1:1: error: missing field 'account'
              hint: add 'account': ... to this mapping
            Environments/dev.yaml:2:1: error: unknown field 'acount'
              hint: known fields here: name, account, region, domain, zones, organisationalUnit, profile, pipeline, hotswap, tier
            """)
    }

    @Test func wrongType() throws {
        let text = devYAML.replacingOccurrences(of: "region: eu-west-1", with: "region:\n  - eu-west-1")
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:4:3: error: field 'region' must be a single value, such as text
              hint: quote values that are text, e.g. account: "123456789012"
            """)
    }

    @Test(arguments: ["12345", "1234567890123", "12345678901a", "-12345678901"])
    func accountIdMustBeTwelveDigits(_ id: String) throws {
        let text = devYAML.replacingOccurrences(of: "800000000001", with: id)
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:2:10: error: account id '\(id)' must be 12 digits
              hint: copy it from the account menu, e.g. "123456789012" (quoted, to keep leading zeros)
            """)
    }

    @Test func unknownRegion() throws {
        let text = devYAML.replacingOccurrences(of: "eu-west-1", with: "eu-wst-1")
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:3:9: error: unknown region 'eu-wst-1'
              hint: regions starting alike: eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3
            """)
    }

    @Test(arguments: [
        ("Dev.example.com", "must be lowercase"),
        ("dev..example.com", "has an empty label"),
        ("dev.example.com.", "must not end with a dot"),
        ("-dev.example.com", "has a label that starts or ends with '-' ('-dev')"),
        ("dev_1.example.com", "may only contain a-z, 0-9, '-' and '.'"),
    ])
    func invalidDomain(_ domain: String, _ problem: String) throws {
        let text = devYAML.replacingOccurrences(of: "dev.example.com", with: domain)
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:4:9: error: domain '\(domain)' \(problem)
              hint: write a lowercase DNS name without a trailing dot, e.g. dev.example.com
            """)
    }

    @Test func organisationalUnitOfTheWrongForm() throws {
        let text = devYAML + "organisationalUnit: ou-DEV\n"
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:5:21: error: organisational unit 'ou-DEV' is not an OU id
              hint: copy it from AWS Organizations, e.g. ou-ab12-cdefgh34
            """)
    }

    @Test func domainOutsideTheOrganisation() throws {
        let text = devYAML.replacingOccurrences(of: "dev.example.com", with: "dev.example.org")
        #expect(try problems(["dev.yaml": text]) == """
            Environments/dev.yaml:4:9: error: domain 'dev.example.org' is under none of the organisation's apex domains
              hint: Environments/organisation.yaml declares example.com; use a subdomain of one of them, or add its apex to domains: there
            """)
    }

    @Test func nameMustMatchTheFileName() throws {
        #expect(try problems(["dev.yaml": devYAML.replacingOccurrences(of: "name: dev", with: "name: prd")]) == """
            Environments/dev.yaml:1:7: error: name 'prd' differs from the file name 'dev.yaml'
              hint: set name: dev, or rename the file
            """)
    }

    @Test func reservedNamesAreRefused() throws {
        let text = devYAML.replacingOccurrences(of: "name: dev", with: "name: list")
        #expect(try problems(["list.yaml": text], loading: "list") == """
            Environments/list.yaml:1:7: error: 'list' cannot name an environment
              hint: it is a synth command or folder name; reserved: assets, check, deploy, diff, list, organisation, review, shared
            """)
    }

    @Test func organisationFileProblemsAreAllReported() throws {
        let organisation = """
            domain: example.com
            accounts:
              management:
                id: "900000000001"
                region: eu-west-1
              network:
                id: "42"
                region: eu-west-1
              cicd:
                id: "900000000003"
                region: mars-1
                colour: red

            """
        let actual = try problems(["dev.yaml": devYAML], organisation: organisation)
        #expect(actual == """
            Environments/organisation.yaml:7:9: error: account id '42' must be 12 digits
              hint: copy it from the account menu, e.g. "123456789012" (quoted, to keep leading zeros)
            Environments/organisation.yaml:11:13: error: unknown region 'mars-1'
              hint: e.g. eu-west-1
            Environments/organisation.yaml:12:5: error: unknown field 'colour'
              hint: known fields here: id, region, profile
            """)
    }

    @Test func missingOrganisationFile() throws {
        let directory = try TemporaryDirectory()
        try directory.write("Environments/dev.yaml", devYAML)
        let catalog = try EnvironmentCatalog(root: directory.url)
        do {
            _ = try catalog.organisation()
            Issue.record("expected an error")
        } catch let error as DiagnosticError {
            #expect(error.description == "Environments/organisation.yaml: error: file is missing\n  hint: create it; see README.md, section 'Adding an environment'")
        }
    }
}

@Suite struct GitRefNameTests {
    /// The rules of git check-ref-format --branch, one case each.
    @Test(arguments: [
        ("main", nil), ("release/1.2", nil), ("feature/x-y_z", nil),
        ("", "is empty"), ("@", "cannot be '@'"), ("a b", "contains ' '"), ("a~1", "contains '~'"), ("a^", "contains '^'"),
        ("a:b", "contains ':'"), ("a?", "contains '?'"), ("a*", "contains '*'"), ("a[b", "contains '['"), ("a\\b", "contains '\\'"),
        ("de\u{0}v", "contains a control character (U+0000)"), ("a\u{7f}", "contains a control character (U+007F)"),
        ("/a", "begins or ends with '/'"), ("a/", "begins or ends with '/'"), ("a//b", "contains '//'"), ("a..b", "contains '..'"),
        ("a@{b", "contains '@{'"), ("a.", "ends with '.'"), ("-a", "begins with '-'"), ("a/.b", "has a part beginning with '.'"),
        ("a.lock", "has a part ending in '.lock'"), ("a.lock/b", "has a part ending in '.lock'"),
    ] as [(String, String?)])
    func branchNames(_ branch: String, _ problem: String?) {
        #expect(GitRefName.problem(with: branch) == problem)
    }

    @Test(arguments: [("dev", true), ("hdoc-staging", true), ("a1", true), ("a b", false), ("ü.x", false), ("1dev", false), ("Dev", false), ("", false), ("-x", false)])
    func environmentNames(_ name: String, _ valid: Bool) {
        #expect(EnvironmentCatalog.isValidName(name) == valid)
    }
}

/// Several apex domains (`domains:` in organisation.yaml), and zones an environment owns under any
/// of them (`zones:` in its file).
@Suite struct ApexDomainTests {
    private let twoApexes = organisationYAML.replacingOccurrences(of: "domain: example.com\n", with: "domains:\n  - example.com\n  - example.dev\n")

    @Test func decodesSeveralApexesAndZonesUnderAnyOfThem() throws {
        let dev = devYAML + "zones:\n  - api-dev.example.dev\n"
        let directory = try repository(["dev.yaml": dev], organisation: twoApexes)
        let catalog = try EnvironmentCatalog(root: directory.url)
        let organisation = try catalog.organisation()
        #expect(organisation.apexDomains == ["example.com", "example.dev"])
        #expect(organisation.domain == "example.com")
        #expect(organisation.apex(of: "api-dev.example.dev") == "example.dev")
        #expect(organisation.apex(of: "example.org") == nil)
        let environment = try catalog.environment("dev", organisation: organisation)
        #expect(environment.zones == ["api-dev.example.dev"])
        // The single domain: of older files still reads as one apex.
        let single = try repository(["dev.yaml": devYAML])
        #expect(try EnvironmentCatalog(root: single.url).organisation().apexDomains == ["example.com"])
    }

    @Test func anEnvironmentDomainUnderNoDeclaredApexNamesTheApexes() throws {
        let text = devYAML.replacingOccurrences(of: "dev.example.com", with: "dev.example.org")
        #expect(try problems(["dev.yaml": text], organisation: twoApexes) == """
            Environments/dev.yaml:4:9: error: domain 'dev.example.org' is under none of the organisation's apex domains
              hint: Environments/organisation.yaml declares example.com, example.dev; use a subdomain of one of them, or add its apex to domains: there
            """)
    }

    @Test func aZoneUnderNoDeclaredApexPointsAtItsLine() throws {
        let text = devYAML + "zones:\n  - api.example.dev\n  - api.example.net\n"
        #expect(try problems(["dev.yaml": text], organisation: twoApexes) == """
            Environments/dev.yaml:7:5: error: domain 'api.example.net' is under none of the organisation's apex domains
              hint: Environments/organisation.yaml declares example.com, example.dev; use a subdomain of one of them, or add its apex to domains: there
            """)
    }

    @Test func anApexCannotBeOwnedByAnEnvironment() throws {
        #expect(try problems(["dev.yaml": devYAML + "zones: [example.dev]\n"], organisation: twoApexes) == """
            Environments/dev.yaml:5:9: error: domain 'example.dev' is an apex domain, owned by the network account
              hint: own a subdomain of it, e.g. '<env>.example.dev', delegated from the apex zone; records in the apex itself go in a stack of the network account
            """)
    }

    @Test func aZoneInsideAnotherOwnedZoneIsRefused() throws {
        #expect(try problems(["dev.yaml": devYAML + "zones: [api.dev.example.com]\n"], organisation: twoApexes) == """
            Environments/dev.yaml:5:9: error: zone 'api.dev.example.com' lies inside 'dev.example.com', which this environment already owns
              hint: put its records in the zone 'dev.example.com' instead; list in zones: only names outside the environment's other zones
            """)
    }

    @Test func twoEnvironmentsCannotOwnOneZone() throws {
        let prd = devYAML.replacingOccurrences(of: "dev", with: "prd") + "zones: [api.example.dev]\n"
        let directory = try repository(["dev.yaml": devYAML + "zones: [api.example.dev]\n", "prd.yaml": prd], organisation: twoApexes)
        let catalog = try EnvironmentCatalog(root: directory.url)
        #expect(throws: DiagnosticError.self) { try catalog.environments(organisation: try catalog.organisation()) }
        do { _ = try catalog.environments(organisation: try catalog.organisation()) } catch let error as DiagnosticError {
            #expect(error.description == """
                Environments/prd.yaml:5:9: error: domain 'api.example.dev' is also the domain of Environments/dev.yaml
                  hint: give each environment its own domain: the apex zone delegates each one once
                """)
        }
    }

    @Test(arguments: [
        ("domains: []\n", "Environments/organisation.yaml:1:10: error: domains: lists no apex domain\n  hint: list at least one, e.g. domains: [example.com]"),
        ("domain: example.com\ndomains: [example.com]\n", "Environments/organisation.yaml:2:10: error: both domain: and domains: are given\n  hint: list every apex domain under domains: and remove domain:"),
        ("domains:\n  - example.com\n  - example.com\n", "Environments/organisation.yaml:3:5: error: apex domain 'example.com' is listed twice (first on line 2)\n  hint: keep one of them: each apex is one hosted zone in the network account"),
        ("domains: [example.com, dev.example.com]\n", "Environments/organisation.yaml:1:24: error: apex domain 'dev.example.com' lies inside the apex domain 'example.com'\n  hint: remove 'dev.example.com' from domains:; an environment that owns it gets it delegated from 'example.com'"),
        ("domains: [example.com, Example.dev]\n", "Environments/organisation.yaml:1:24: error: domain 'Example.dev' must be lowercase\n  hint: write a lowercase DNS name without a trailing dot, e.g. dev.example.com"),
        ("", "Environments/organisation.yaml:1:1: error: missing field 'domains'\n  hint: add 'domains': ... to this mapping"),
    ])
    func apexDomainListProblems(_ domains: String, _ expected: String) throws {
        let organisation = domains + organisationYAML.replacingOccurrences(of: "domain: example.com\n", with: "")
        #expect(try problems(["dev.yaml": devYAML], organisation: organisation) == expected)
    }
}
