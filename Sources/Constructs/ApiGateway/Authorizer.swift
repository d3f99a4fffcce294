import CloudFormation
import Foundation
import Synthesis

/// How an HTTP API checks callers.
public enum AuthorizerSpec {
    /// A JWT authorizer: API Gateway checks the token's signature (from the issuer's JWKS), its
    /// issuer and its audience before the route is invoked.
    case jwt(issuer: Value, audiences: [Value], identitySource: String = "$request.header.Authorization")
    /// A JWT authorizer for tokens of a Cognito user pool issued to `clients` (their ids are the
    /// audience; API Gateway checks `client_id` for access tokens). Route scopes must be ones the
    /// pool defines, and at least one client must be allowed one of each route's scopes (a token
    /// carries only its client's scopes): otherwise every token would be refused, an error.
    case cognito(UserPool, clients: [UserPoolClient])
}

/// A JWT authorizer of an HTTP API (Auth0, Cognito, any OIDC issuer).
///
/// Emits `AWS::ApiGatewayV2::Authorizer` of type JWT. Routes use it with scopes through
/// `RouteAuthorization`. Not stateful.
///
///     let auth0 = api.addAuthorizer("Auth0", .jwt(issuer: "https://tenant.eu.auth0.com/",
///                                                audiences: ["https://api"]))
public final class JwtAuthorizer: Construct {
    public let api: HttpApi
    public let issuer: Value
    public let audiences: [Value]
    /// The user pool whose tokens it accepts, for a Cognito authorizer.
    public let userPool: UserPool?
    /// The app clients whose tokens it accepts, for a Cognito authorizer; a route's scopes must be
    /// allowed to at least one of them.
    public let clients: [UserPoolClient]
    public private(set) var resource: CfnResource!

    init(in api: HttpApi, _ id: String, spec: AuthorizerSpec, file: String, line: Int) {
        self.api = api
        let identitySource: String
        switch spec {
        case .jwt(let issuer, let audiences, let source):
            self.issuer = issuer
            self.audiences = audiences
            self.userPool = nil
            self.clients = []
            identitySource = source
        case .cognito(let pool, let clients):
            self.issuer = pool.issuer
            self.audiences = clients.map(\.clientId)
            self.userPool = pool
            self.clients = clients
            identitySource = "$request.header.Authorization"
        }
        super.init(in: api, id, file: file, line: line)
        resource = CfnResource(
            in: self, type: "AWS::ApiGatewayV2::Authorizer",
            properties: [
                "ApiId": api.apiId,
                "Name": .string(id),
                "AuthorizerType": "JWT",
                "IdentitySource": [.string(identitySource)],
                "JwtConfiguration": ["Issuer": issuer, "Audience": .list(audiences)],
            ], file: file, line: line)
    }

    public var authorizerId: Value { resource.ref("Id") }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if case .string(let text) = issuer {
            let url = URL(string: text)
            if url?.scheme != "https" || (url?.host ?? "").isEmpty {
                problems.append(.construct(self, "JWT issuer '\(text)' is not an https URL", hint: "API Gateway fetches the issuer's keys over HTTPS, e.g. https://tenant.eu.auth0.com/"))
            }
        }
        if audiences.isEmpty {
            problems.append(.construct(self, "JWT authorizer has no audience", hint: "name the audience your tokens carry, e.g. the Auth0 API identifier"))
        }
        return problems
    }
}

/// Who may call a route.
public enum RouteAuthorization: Sendable {
    /// The API's default authorizer, without scopes. An error when the API has none.
    case `default`
    /// The API's default authorizer, requiring these scopes.
    case scopes([String])
    /// Anyone: a public route, such as a health check. Must be said explicitly.
    case `public`
}
