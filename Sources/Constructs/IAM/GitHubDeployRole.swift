import CloudFormation
import Synthesis

/// A role GitHub Actions workflows of one repository and branch assume with OIDC, without keys.
///
/// Emits `AWS::IAM::OIDCProvider` for `token.actions.githubusercontent.com` (one per account:
/// pass `provider:` to share one) and `AWS::IAM::Role` whose trust requires the token's audience
/// `sts.amazonaws.com` and subject `repo:OWNER/NAME:ref:refs/heads/BRANCH` exactly. The role has
/// only the `statements` given. The trust is listed in the review section of the plan.
///
///     GitHubDeployRole(in: cicd, "Deploy", repository: "brainfartlab/service-weather",
///                      statements: [PolicyStatement(actions: ["sts:AssumeRole"], resources: [terraform.role.arn])])
public final class GitHubDeployRole: Construct, Grantable {
    public static let issuerHost = "token.actions.githubusercontent.com"

    public let repository: String
    public let branch: String
    public private(set) var provider: CfnResource!
    public private(set) var role: Role!

    /// - Parameters:
    ///   - repository: `OWNER/NAME`, no wildcards.
    ///   - branch: `main` by default.
    ///   - provider: An existing GitHub OIDC provider of the account; one is created by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, repository: String, branch: String = "main", statements: [PolicyStatement] = [],
        provider: CfnResource? = nil, roleName: Value? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.repository = repository
        self.branch = branch
        super.init(in: scope, id, file: file, line: line)
        self.provider = provider ?? CfnResource(
            in: self, "Provider", type: "AWS::IAM::OIDCProvider",
            properties: ["Url": .string("https://\(Self.issuerHost)"), "ClientIdList": ["sts.amazonaws.com"]], file: file, line: line)
        role = Role(
            in: self, "Role",
            trust: .webIdentity(provider: self.provider.ref("Arn"), condition: ["StringEquals": [
                "\(Self.issuerHost):aud": "sts.amazonaws.com",
                "\(Self.issuerHost):sub": .string(subject),
            ]]),
            roleName: roleName, description: "GitHub Actions of \(repository) on \(branch)", file: file, line: line)
        for statement in statements { role.addToPolicy(statement) }
        if let stack {
            app.record(.trust(TrustFact(
                role: "\(relativePath)/Role", roleName: nil, account: "\(stack.account)",
                trusted: ["GitHub Actions \(subject)"], stack: stack.stackName)))
        }
    }

    /// `repo:OWNER/NAME:ref:refs/heads/BRANCH`
    public var subject: String { "repo:\(repository):ref:refs/heads/\(branch)" }
    public var grantRole: Role { role }

    public override func validate() -> [Diagnostic] {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
        var problems: [Diagnostic] = []
        if !valid {
            problems.append(.construct(
                self, "GitHub role has no repository condition: '\(repository)' is not OWNER/NAME",
                hint: "name one repository, e.g. brainfartlab/service-weather; a wildcard would let any repository assume the role"))
        }
        if branch.isEmpty || branch.contains("*") {
            problems.append(.construct(self, "branch '\(branch)' must be one branch name, without wildcards", hint: "e.g. main"))
        }
        return problems
    }
}
