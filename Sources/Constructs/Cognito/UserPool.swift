import CloudFormation
import Synthesis

/// A Cognito user pool: who may sign in, and the tokens they get.
///
/// Emits `AWS::Cognito::UserPool`. Stateful (it holds the users): retained, with deletion
/// protection on. Safe by default: users sign in with their e-mail address, which is verified;
/// nobody signs themselves up (`selfSignUp: true` allows it; without it an administrator creates
/// users, as for an owner-only site); passwords of 12 characters with every character class; MFA
/// by authenticator app available to every user (`mfa: .required` to force it); account recovery
/// by verified e-mail only.
///
///     let owners = UserPool(in: stack, "Owners")
///     let web = owners.addClient("Web", .web(callbackURLs: ["https://example.com/callback"]))
public final class UserPool: Construct {
    public enum Mfa: String, Sendable { case off = "OFF", optional = "OPTIONAL", required = "ON" }

    public private(set) var resource: CfnResource!
    public private(set) var resourceServers: [ResourceServer] = []
    public private(set) var clients: [UserPoolClient] = []
    public let passwordMinimumLength: Int

    /// - Parameters:
    ///   - selfSignUp: Let anyone create an account; off by default.
    ///   - passwordMinimumLength: 12 by default (Cognito accepts 6 to 99).
    ///   - mfa: Optional authenticator-app MFA by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, selfSignUp: Bool = false, passwordMinimumLength: Int = 12, mfa: Mfa = .optional,
        removalPolicy: RemovalPolicy = .retain, file: String = #fileID, line: Int = #line
    ) {
        self.passwordMinimumLength = passwordMinimumLength
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = [
            "UsernameAttributes": ["email"],
            "AutoVerifiedAttributes": ["email"],
            "UsernameConfiguration": ["CaseSensitive": false],
            "AdminCreateUserConfig": ["AllowAdminCreateUserOnly": .bool(!selfSignUp)],
            "Policies": ["PasswordPolicy": [
                "MinimumLength": .int(passwordMinimumLength), "RequireLowercase": true, "RequireUppercase": true,
                "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 3,
            ]],
            "MfaConfiguration": .string(mfa.rawValue),
        ]
        if mfa != .off { properties["EnabledMfas"] = ["SOFTWARE_TOKEN_MFA"] }
        properties["AccountRecoverySetting"] = ["RecoveryMechanisms": [["Name": "verified_email", "Priority": 1]]]
        properties["DeletionProtection"] = removalPolicy == .destroy ? "INACTIVE" : "ACTIVE"
        resource = CfnResource(in: self, type: "AWS::Cognito::UserPool", properties: properties, file: file, line: line)
        removalPolicy.apply(to: resource)
    }

    public var poolId: Value { resource.ref("Id") }
    public var arn: Value { resource.attribute("Arn") }
    /// The issuer of the pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<pool id>`.
    public var issuer: Value { .sub("https://cognito-idp.${AWS::Region}.amazonaws.com/${Pool}", ["Pool": poolId]) }

    /// Declares custom scopes under `identifier`; clients and routes name them `identifier/scope`.
    @discardableResult
    public func addResourceServer(
        _ id: String, identifier: String, name: String? = nil, scopes: [(name: String, description: String)],
        file: String = #fileID, line: Int = #line
    ) -> ResourceServer {
        let server = ResourceServer(in: self, id, identifier: identifier, name: name ?? identifier, scopes: scopes, file: file, line: line)
        resourceServers.append(server)
        // A client may only use scopes that exist when it is created.
        for client in clients { client.resource.dependsOn.append(server.resource) }
        return server
    }

    @discardableResult
    public func addClient(_ id: String, _ kind: UserPoolClient.Kind, file: String = #fileID, line: Int = #line) -> UserPoolClient {
        let client = UserPoolClient(in: self, id, kind: kind, file: file, line: line)
        clients.append(client)
        return client
    }

    /// The hosted sign-in and token endpoints at `https://<prefix>.auth.<region>.amazoncognito.com`.
    /// Prefixes are global, so include the environment in it.
    @discardableResult
    public func addDomain(prefix: String, file: String = #fileID, line: Int = #line) -> CfnResource {
        if prefix.isEmpty || prefix.count > 63 || !prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
            || prefix.hasPrefix("-") || prefix.hasSuffix("-") || ["aws", "amazon", "cognito"].contains(where: prefix.contains)
        {
            report(Diagnostic(
                "\(path): domain prefix '\(prefix)' must be 1 to 63 lowercase letters, digits and '-', without 'aws', 'amazon' or 'cognito'",
                at: SourceLocation(file: file, line: line), hint: "e.g. weather-dev-brainfartlab"))
        }
        return CfnResource(in: self, "Domain", type: "AWS::Cognito::UserPoolDomain", properties: ["Domain": .string(prefix), "UserPoolId": poolId], file: file, line: line)
    }

    /// Scopes Cognito issues without a resource server.
    public static let standardScopes: Set<String> = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"]

    /// True when a token of this pool can carry `scope`.
    public func defines(scope: String) -> Bool {
        Self.standardScopes.contains(scope) || resourceServers.contains { server in server.scopes.contains { "\(server.identifier)/\($0.name)" == scope } }
    }

    /// Every scope the pool can issue, for messages.
    var knownScopes: [String] {
        Self.standardScopes.sorted() + resourceServers.flatMap { server in server.scopes.map { "\(server.identifier)/\($0.name)" } }
    }

    public override func validate() -> [Diagnostic] {
        (6...99).contains(passwordMinimumLength)
            ? []
            : [.construct(self, "password minimum length \(passwordMinimumLength) is outside 6...99", hint: "12 is the default")]
    }
}

/// Custom scopes of a user pool. Emits `AWS::Cognito::UserPoolResourceServer`.
public final class ResourceServer: Construct {
    public let identifier: String
    public let scopes: [(name: String, description: String)]
    public private(set) var resource: CfnResource!

    init(in pool: UserPool, _ id: String, identifier: String, name: String, scopes: [(name: String, description: String)], file: String, line: Int) {
        self.identifier = identifier
        self.scopes = scopes
        super.init(in: pool, id, file: file, line: line)
        resource = CfnResource(
            in: self, type: "AWS::Cognito::UserPoolResourceServer",
            properties: [
                "UserPoolId": pool.poolId, "Identifier": .string(identifier), "Name": .string(name),
                "Scopes": .list(scopes.map { ["ScopeName": .string($0.name), "ScopeDescription": .string($0.description)] }),
            ], file: file, line: line)
    }
}

/// An app client of a user pool. Emits `AWS::Cognito::UserPoolClient`.
public final class UserPoolClient: Construct {
    public enum Kind {
        /// A browser app: no secret, the authorization-code flow (with PKCE) for `scopes`, SRP
        /// sign-in and refresh tokens.
        case web(callbackURLs: [String], logoutURLs: [String] = [], scopes: [String] = ["openid", "email", "profile"])
        /// A service calling APIs: a client secret and the client-credentials flow for `scopes`,
        /// which must be custom scopes of the pool's resource servers.
        case machine(scopes: [String])
    }

    public let pool: UserPool
    public let kind: Kind
    public private(set) var resource: CfnResource!

    init(in pool: UserPool, _ id: String, kind: Kind, file: String, line: Int) {
        self.pool = pool
        self.kind = kind
        super.init(in: pool, id, file: file, line: line)
        var properties: Object = ["UserPoolId": pool.poolId, "ClientName": .string(id)]
        switch kind {
        case .web(let callbacks, let logouts, let scopes):
            properties["GenerateSecret"] = false
            properties["ExplicitAuthFlows"] = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
            properties["AllowedOAuthFlowsUserPoolClient"] = true
            properties["AllowedOAuthFlows"] = ["code"]
            properties["AllowedOAuthScopes"] = .list(scopes.map(Value.string))
            properties["CallbackURLs"] = .list(callbacks.map(Value.string))
            if !logouts.isEmpty { properties["LogoutURLs"] = .list(logouts.map(Value.string)) }
        case .machine(let scopes):
            properties["GenerateSecret"] = true
            properties["ExplicitAuthFlows"] = ["ALLOW_REFRESH_TOKEN_AUTH"]
            properties["AllowedOAuthFlowsUserPoolClient"] = true
            properties["AllowedOAuthFlows"] = ["client_credentials"]
            properties["AllowedOAuthScopes"] = .list(scopes.map(Value.string))
        }
        properties["SupportedIdentityProviders"] = ["COGNITO"]
        properties["PreventUserExistenceErrors"] = "ENABLED"
        properties["EnableTokenRevocation"] = true
        resource = CfnResource(in: self, type: "AWS::Cognito::UserPoolClient", properties: properties, file: file, line: line)
        resource.dependsOn = pool.resourceServers.map(\.resource)
    }

    public var clientId: Value { resource.ref("ClientId") }

    var scopes: [String] {
        switch kind {
        case .web(_, _, let scopes), .machine(let scopes): scopes
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for scope in scopes where !pool.defines(scope: scope) {
            problems.append(.construct(self, "scope '\(scope)' is not defined by \(pool.path)", hint: "add a resource server that declares it; known scopes: \(pool.knownScopes.joined(separator: ", "))"))
        }
        if case .machine(let scopes) = kind, scopes.isEmpty || scopes.contains(where: UserPool.standardScopes.contains) {
            problems.append(.construct(self, "a machine client needs custom scopes only", hint: "client credentials carry resource-server scopes such as test/weatherforecastapi"))
        }
        if case .web(let callbacks, _, _) = kind {
            if callbacks.isEmpty { problems.append(.construct(self, "a web client needs at least one callback URL", hint: "e.g. https://app.dev.example.com/callback")) }
            for url in callbacks where !url.hasPrefix("https://") && !url.hasPrefix("http://localhost") {
                problems.append(.construct(self, "callback URL '\(url)' must use https", hint: "Cognito accepts http only for localhost"))
            }
        }
        return problems
    }
}
