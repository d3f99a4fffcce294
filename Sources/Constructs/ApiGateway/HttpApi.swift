import CloudFormation
import Synthesis

/// HTTP methods for CORS preflight responses.
public enum HttpMethod: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", head = "HEAD", options = "OPTIONS"
    case any = "*"
}

/// What browsers from other origins may do. API Gateway answers preflight requests itself.
public struct CorsPreflight: Sendable {
    public var allowOrigins: [String]
    public var allowHeaders: [String]
    public var allowMethods: [HttpMethod]
    public var allowCredentials: Bool
    public var exposeHeaders: [String]
    public var maxAge: Int

    /// - Parameters:
    ///   - allowOrigins: Origins such as `https://quiz.dev.example.com`; no wildcard by default.
    ///   - allowHeaders: `authorization` and `content-type` by default.
    ///   - allowMethods: GET, POST, PUT and DELETE by default.
    ///   - maxAge: Seconds a browser caches the preflight answer: one hour by default.
    public init(
        allowOrigins: [String], allowHeaders: [String] = ["authorization", "content-type"],
        allowMethods: [HttpMethod] = [.get, .post, .put, .delete], allowCredentials: Bool = false,
        exposeHeaders: [String] = [], maxAge: Int = 3600
    ) {
        self.allowOrigins = allowOrigins
        self.allowHeaders = allowHeaders
        self.allowMethods = allowMethods
        self.allowCredentials = allowCredentials
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
    }
}

/// An API Gateway HTTP API with Lambda proxy routes.
///
/// Emits `AWS::ApiGatewayV2::Api` and, as routes and stages are added, `Route`, `Integration`
/// (one per function, payload format 2.0), `AWS::Lambda::Permission` (one per function, allowing
/// this API and no other to invoke it), `Stage` and `Authorizer`. There is no stage until
/// `addStage(_:)` is called: nothing is deployed by accident. Every route needs an authorizer
/// unless it says `authorization: .public`. Not stateful.
///
///     let api = HttpApi(in: quiz, "Api", cors: CorsPreflight(allowOrigins: ["https://quiz.dev.example.com"]),
///                       defaultAuthorizer: .jwt(issuer: "https://tenant.eu.auth0.com/", audiences: ["https://api"]))
///     api.addRoute("GET /games/{gameId}/questions", to: questions, authorization: .scopes(["read:games"]))
///     api.addRoute("GET /health", to: health, authorization: .public)
///     let live = api.addStage("live")
public final class HttpApi: Construct {
    public let cors: CorsPreflight?
    public private(set) var resource: CfnResource!
    /// The authorizer routes use with `.default` or `.scopes(...)`.
    public private(set) var defaultAuthorizer: JwtAuthorizer?
    public private(set) var routes: [ApiRoute] = []
    public private(set) var stages: [ApiStage] = []
    private var integrations: [ObjectIdentifier: CfnResource] = [:]

    /// - Parameters:
    ///   - name: The API's name: `<stack name>-<id>` by default.
    ///   - cors: CORS preflight settings; no CORS by default.
    ///   - defaultAuthorizer: The authorizer routes get unless they say otherwise; none by default.
    ///   - disableExecuteApiEndpoint: Serve only through custom domains; false by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, name: String? = nil, description: String? = nil, cors: CorsPreflight? = nil,
        defaultAuthorizer: AuthorizerSpec? = nil, disableExecuteApiEndpoint: Bool = false,
        file: String = #fileID, line: Int = #line
    ) {
        self.cors = cors
        super.init(in: scope, id, file: file, line: line)
        var properties: Object = ["Name": .string(name ?? "\(stack?.stackName ?? app.environment.name)-\(id)"), "ProtocolType": "HTTP"]
        if let description { properties["Description"] = .string(description) }
        if let cors {
            var configuration: Object = [
                "AllowOrigins": .list(cors.allowOrigins.map(Value.string)),
                "AllowHeaders": .list(cors.allowHeaders.map(Value.string)),
                "AllowMethods": .list(cors.allowMethods.map { .string($0.rawValue) }),
            ]
            if cors.allowCredentials { configuration["AllowCredentials"] = true }
            if !cors.exposeHeaders.isEmpty { configuration["ExposeHeaders"] = .list(cors.exposeHeaders.map(Value.string)) }
            configuration["MaxAge"] = .int(cors.maxAge)
            properties["CorsConfiguration"] = .object(configuration)
        }
        if disableExecuteApiEndpoint { properties["DisableExecuteApiEndpoint"] = true }
        resource = CfnResource(in: self, type: "AWS::ApiGatewayV2::Api", properties: properties, file: file, line: line)
        if let defaultAuthorizer {
            self.defaultAuthorizer = JwtAuthorizer(in: self, "Authorizer", spec: defaultAuthorizer, file: file, line: line)
        }
    }

    public var apiId: Value { resource.ref("Id") }
    /// `https://<id>.execute-api.<region>.amazonaws.com`
    public var endpoint: Value { resource.attribute("ApiEndpoint") }

    /// Adds an authorizer that routes can name; the default one is made by `defaultAuthorizer:`.
    @discardableResult
    public func addAuthorizer(_ id: String, _ spec: AuthorizerSpec, file: String = #fileID, line: Int = #line) -> JwtAuthorizer {
        JwtAuthorizer(in: self, id, spec: spec, file: file, line: line)
    }

    /// Routes `routeKey` to `function` through a Lambda proxy integration.
    ///
    /// - Parameters:
    ///   - routeKey: `$default`, or a method and path: `GET /games/{gameId}`, `ANY /v1/{proxy+}`.
    ///   - authorization: The default authorizer by default; `.scopes([...])` to require scopes;
    ///     `.public` for an open route.
    ///   - authorizer: Another authorizer of this API instead of the default one.
    @discardableResult
    public func addRoute(
        _ routeKey: String, to function: Function, authorization: RouteAuthorization = .default,
        authorizer: JwtAuthorizer? = nil, file: String = #fileID, line: Int = #line
    ) -> ApiRoute {
        if let first = routes.first(where: { $0.routeKey == RouteKey(routeKey) }) {
            report(Diagnostic(
                "\(first.path): route '\(routeKey)' is defined twice (first at \(first.location))", at: SourceLocation(file: file, line: line),
                hint: "route each method and path once"))
            return first
        }
        let route = ApiRoute(
            in: self, RouteKey(routeKey), integration: integration(for: function, file: file, line: line),
            authorization: authorization, authorizer: authorizer ?? defaultAuthorizer, explicitAuthorizer: authorizer != nil,
            file: file, line: line)
        routes.append(route)
        return route
    }

    /// Adds a stage, deployed automatically whenever routes change.
    ///
    /// - Parameters:
    ///   - name: `live`, `v1`, or `$default` to serve at the root of the invoke URL.
    ///   - throttling: Steady requests per second and burst for every route: 50 and 100 by default.
    ///   - accessLogRetentionDays: Access logs (JSON, one line per request) are kept 90 days by default.
    @discardableResult
    public func addStage(
        _ name: String, throttling: (rate: Double, burst: Int)? = (50, 100), accessLogRetentionDays: Int = 90,
        file: String = #fileID, line: Int = #line
    ) -> ApiStage {
        let stage = ApiStage(in: self, name: name, throttling: throttling, accessLogRetentionDays: accessLogRetentionDays, file: file, line: line)
        stages.append(stage)
        return stage
    }

    /// One integration and one invoke permission per function.
    private func integration(for function: Function, file: String, line: Int) -> CfnResource {
        if let existing = integrations[ObjectIdentifier(function)] { return existing }
        let id = LogicalIds.pascalCase(function.id)
        let integration = CfnResource(
            in: self, "\(id)Integration", type: "AWS::ApiGatewayV2::Integration",
            properties: [
                "ApiId": apiId, "IntegrationType": "AWS_PROXY", "IntegrationUri": function.arn,
                "PayloadFormatVersion": "2.0",
            ], file: file, line: line)
        CfnResource(
            in: self, "\(id)Permission", type: "AWS::Lambda::Permission",
            properties: [
                "Action": "lambda:InvokeFunction", "FunctionName": function.arn, "Principal": "apigateway.amazonaws.com",
                "SourceArn": .sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*", ["Api": apiId]),
            ], file: file, line: line)
        integrations[ObjectIdentifier(function)] = integration
        return integration
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let cors {
            for origin in cors.allowOrigins where origin != "*" && !(origin.hasPrefix("https://") || origin.hasPrefix("http://localhost")) {
                problems.append(.construct(self, "CORS origin '\(origin)' is not an https origin", hint: "write the full origin, e.g. https://quiz.dev.example.com"))
            }
            if cors.allowCredentials && cors.allowOrigins.contains("*") {
                problems.append(.construct(self, "CORS allows credentials for every origin ('*')", hint: "browsers refuse this; list the origins"))
            }
        }
        return problems
    }
}

extension Substring {
    /// `ET /games/{gameId}` -> `et /games/{gameId}`: lowercases up to the first space (the rest
    /// of the method), leaving the path's case alone.
    fileprivate var lowercasedMethod: String {
        guard let space = firstIndex(of: " ") else { return lowercased() }
        return self[..<space].lowercased() + self[space...]
    }
}

/// One route of an HTTP API. Emits `AWS::ApiGatewayV2::Route`.
public final class ApiRoute: Construct {
    public let routeKey: RouteKey
    public let authorization: RouteAuthorization
    public let authorizer: JwtAuthorizer?
    public private(set) var resource: CfnResource!

    init(
        in api: HttpApi, _ routeKey: RouteKey, integration: CfnResource, authorization: RouteAuthorization,
        authorizer: JwtAuthorizer?, explicitAuthorizer: Bool, file: String, line: Int
    ) {
        self.routeKey = routeKey
        self.authorization = authorization
        self.authorizer = authorizer
        // GET /games/{gameId} -> GetGamesGameIdRoute
        let id = routeKey.isDefault ? "DefaultRoute" : LogicalIds.pascalCase(routeKey.text.prefix(1) + routeKey.text.dropFirst().lowercasedMethod) + "Route"
        super.init(in: api, id, file: file, line: line)
        var properties: Object = [
            "ApiId": api.apiId, "RouteKey": .string(routeKey.text),
            "Target": .join("/", ["integrations", integration.ref("Id")]),
        ]
        switch authorization {
        case .public:
            properties["AuthorizationType"] = "NONE"
        case .default, .scopes:
            properties["AuthorizationType"] = "JWT"
            if let authorizer { properties["AuthorizerId"] = authorizer.authorizerId }
            if case .scopes(let scopes) = authorization { properties["AuthorizationScopes"] = .list(scopes.map(Value.string)) }
        }
        resource = CfnResource(in: self, type: "AWS::ApiGatewayV2::Route", properties: properties, file: file, line: line)
        if explicitAuthorizer, case .public = authorization {
            report(.construct(self, "route '\(routeKey)' is public but names an authorizer", hint: "drop authorizer:, or use .default or .scopes([...])"))
        }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if let problem = routeKey.problem {
            problems.append(.construct(self, "route key '\(routeKey)' \(problem)", hint: "write e.g. 'GET /games/{gameId}/questions', 'ANY /v1/{proxy+}' or '$default'"))
        }
        switch authorization {
        case .public:
            break
        case .default where authorizer == nil:
            problems.append(.construct(
                self, "route '\(routeKey)' has no authorizer",
                hint: "give the API a defaultAuthorizer, or pass authorization: .public to make the route public on purpose"))
        case .scopes(let scopes) where authorizer == nil:
            problems.append(.construct(
                self, "route '\(routeKey)' requires scopes \(scopes.joined(separator: ", ")) but has no authorizer to check them",
                hint: "give the API a defaultAuthorizer (JWT) or pass authorizer:"))
        case .scopes(let scopes) where scopes.isEmpty:
            problems.append(.construct(self, "route '\(routeKey)' requires an empty list of scopes", hint: "use authorization: .default"))
        case .scopes(let scopes):
            if let authorizer, let pool = authorizer.userPool {
                let undefined = scopes.filter { !pool.defines(scope: $0) }
                for scope in undefined {
                    problems.append(.construct(
                        self, "route '\(routeKey)' requires scope '\(scope)', which no resource server of \(pool.path) defines",
                        hint: "known scopes: \(pool.knownScopes.joined(separator: ", "))"))
                }
                // API Gateway lets a token through when it carries one of the route's scopes, and
                // Cognito puts into a token only the scopes its client is allowed.
                if undefined.isEmpty, !authorizer.clients.isEmpty, !authorizer.clients.contains(where: { client in scopes.contains(where: client.scopes.contains) }) {
                    problems.append(.routeScopesAllowedToNoClient(self, scopes: scopes, authorizer: authorizer))
                }
            }
        default:
            break
        }
        return problems
    }
}

extension Diagnostic {
    static func routeScopesAllowedToNoClient(_ route: ApiRoute, scopes: [String], authorizer: JwtAuthorizer) -> Diagnostic {
        let required = scopes.map { "'\($0)'" }.joined(separator: " or ")
        let allowed = authorizer.clients.map { client in
            "\(client.id) has \(client.scopes.isEmpty ? "none" : client.scopes.joined(separator: ", "))"
        }.joined(separator: "; ")
        return .construct(
            route, "route '\(route.routeKey)' requires scope \(required), which no client of authorizer \(authorizer.path) is allowed: every token would be refused",
            hint: "allow the scope to a client (scopes: of addClient), or require a scope a client has (\(allowed))")
    }
}
