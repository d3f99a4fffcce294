import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

private var issuer: Value { .string("https://tenant.eu.auth0.com/") }
private var audience: Value { .string("https://api") }

@Suite struct HttpApiTests {
    @Test func apiWithCorsAuthorizerRoutesStageAndPermission() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Games", handler: "a.b", code: .inline("x"), tracing: false)
            let api = HttpApi(
                in: stack, "Api", cors: CorsPreflight(allowOrigins: ["https://quiz.dev.example.com"]),
                defaultAuthorizer: .jwt(issuer: issuer, audiences: [audience]))
            api.addRoute("GET /games/{gameId}/questions", to: function, authorization: .scopes(["read:games"]))
            api.addRoute("GET /health", to: function, authorization: .public)
            api.addStage("live", throttling: (rate: 10, burst: 20), accessLogRetentionDays: 30)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties:
                  Name: dev-Test-Api
                  ProtocolType: HTTP
                  CorsConfiguration:
                    AllowOrigins:
                    - https://quiz.dev.example.com
                    AllowHeaders:
                    - authorization
                    - content-type
                    AllowMethods:
                    - GET
                    - POST
                    - PUT
                    - DELETE
                    MaxAge: 3600
              ApiAuthorizer:
                Type: AWS::ApiGatewayV2::Authorizer
                Properties:
                  ApiId: !Ref Api
                  Name: Authorizer
                  AuthorizerType: JWT
                  IdentitySource:
                  - $request.header.Authorization
                  JwtConfiguration:
                    Issuer: https://tenant.eu.auth0.com/
                    Audience:
                    - https://api
              ApiGamesIntegration:
                Type: AWS::ApiGatewayV2::Integration
                Properties:
                  ApiId: !Ref Api
                  IntegrationType: AWS_PROXY
                  IntegrationUri: !GetAtt Games.Arn
                  PayloadFormatVersion: '2.0'
              ApiGamesPermission:
                Type: AWS::Lambda::Permission
                Properties:
                  Action: lambda:InvokeFunction
                  FunctionName: !GetAtt Games.Arn
                  Principal: apigateway.amazonaws.com
                  SourceArn: !Sub arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*
              ApiGetGamesGameIdQuestionsRoute:
                Type: AWS::ApiGatewayV2::Route
                Properties:
                  ApiId: !Ref Api
                  RouteKey: GET /games/{gameId}/questions
                  Target: !Join [/, [integrations, !Ref ApiGamesIntegration]]
                  AuthorizationType: JWT
                  AuthorizerId: !Ref ApiAuthorizer
                  AuthorizationScopes:
                  - read:games
              ApiGetHealthRoute:
                Type: AWS::ApiGatewayV2::Route
                Properties:
                  ApiId: !Ref Api
                  RouteKey: GET /health
                  Target: !Join [/, [integrations, !Ref ApiGamesIntegration]]
                  AuthorizationType: NONE
              ApiLiveStageAccessLogs:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: 30
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_158
                      comment: 'Log events are encrypted at rest by CloudWatch Logs with its own key; a customer managed KMS key (about $1 a month per stack) is used only in production (tier: production) and is off here to save cost. Pass customerManagedKey: true to use one.'
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
              ApiLiveStage:
                Type: AWS::ApiGatewayV2::Stage
                Properties:
                  ApiId: !Ref Api
                  StageName: live
                  AutoDeploy: true
                  AccessLogSettings:
                    DestinationArn: !GetAtt ApiLiveStageAccessLogs.Arn
            """))
        #expect(yaml.hasSuffix("""
                  DefaultRouteSettings:
                    DetailedMetricsEnabled: true
                    ThrottlingBurstLimit: 20
                    ThrottlingRateLimit: 10.0

            """))
        // Two routes to one function: one integration, one permission.
        #expect(app.stack(named: "dev-Test")?.template.resources.filter { $0.resource.type == "AWS::Lambda::Permission" }.count == 1)
    }

    @Test(arguments: [
        ("GET /games/", "has path '/games/', which must not end with '/'"),
        ("GET games", "has path 'games', which must start with '/'"),
        ("FETCH /games", "has method 'FETCH'; use one of ANY, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"),
        ("GET /a//b", "has an empty path segment ('//')"),
        ("GET /{proxy+}/x", "has greedy parameter '{proxy+}' before the last segment"),
        ("GET /games/{id}/q/{id}", "uses parameter '{id}' twice"),
        ("GET /games/x{id}", "has segment 'x{id}'; a path parameter is a whole segment like {gameId}"),
        ("GET  /games", "must be '$default' or '<METHOD> <path>' with one space"),
        ("GET /gämes", "has segment 'gämes' with characters a URL path cannot carry unescaped"),
    ])
    func routeKeysAPIGatewayWouldReject(_ key: String, _ problem: String) {
        #expect(RouteKey(key).problem == problem)
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            HttpApi(in: stack, "Api").addRoute(key, to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")), authorization: .public)
        }
        #expect(diagnostics.map(\.message).contains { $0.hasSuffix(": route key '\(key)' \(problem)") }, "\(diagnostics)")
    }

    @Test(arguments: ["$default", "GET /", "ANY /v1/{proxy+}", "GET /games/{gameId}/questions", "POST /a-b_c.d~e"])
    func validRouteKeys(_ key: String) {
        #expect(RouteKey(key).problem == nil)
    }

    @Test func scopesWithoutAuthorizerAndRoutesWithoutAuthorizationAreErrors() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let api = HttpApi(in: stack, "Api")
            let function = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            api.addRoute("GET /a", to: function, authorization: .scopes(["read"]))
            api.addRoute("GET /b", to: function)
        }
        #expect(diagnostics.map(\.message) == [
            "dev/Test/Api/GetARoute: route 'GET /a' requires scopes read but has no authorizer to check them",
            "dev/Test/Api/GetBRoute: route 'GET /b' has no authorizer",
        ])
        #expect(diagnostics.last?.hint == "give the API a defaultAuthorizer, or pass authorization: .public to make the route public on purpose")
    }

    @Test func issuerMustBeAnHttpsURL() {
        let diagnostics = Fixtures.diagnostics { app in
            HttpApi(in: Stack(in: app, "Test"), "Api", defaultAuthorizer: .jwt(issuer: "http://tenant.auth0.com/", audiences: [audience]))
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Api/Authorizer: JWT issuer 'http://tenant.auth0.com/' is not an https URL"])
    }

    @Test func duplicateRoutesAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let api = HttpApi(in: stack, "Api", defaultAuthorizer: .jwt(issuer: issuer, audiences: [audience]))
            let function = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            api.addRoute("GET /a", to: function, line: 10)
            api.addRoute("GET /a", to: function, line: 11)
        }
        #expect(diagnostics.map(\.description) == [
            "ConstructsTests/HttpApiTests.swift:11: error: dev/Test/Api/GetARoute: route 'GET /a' is defined twice (first at ConstructsTests/HttpApiTests.swift:10)\n  hint: route each method and path once"
        ])
    }
}

@Suite struct ApiDomainTests {
    /// A platform stack with a certificate and domain, and an API stack mapping onto it.
    private func platform(_ app: App, certificateName: String = "*.dev.example.com") -> (ApiDomainName, Stack) {
        let platform = Stack(in: app, "Platform")
        let zone = HostedZone(in: platform, "Zone", name: "dev.example.com")
        let certificate = Certificate(in: platform, "Cert", domainName: certificateName, zone: zone)
        let domain = ApiDomainName(in: platform, "ApiDomain", domainName: "api.dev.example.com", certificate: certificate, zone: zone)
        return (domain, platform)
    }

    private func api(_ stack: Stack, _ id: String) -> (HttpApi, ApiStage) {
        let api = HttpApi(in: stack, id)
        api.addRoute("$default", to: Function(in: stack, "\(id)Fn", handler: "a.b", code: .inline("x")), authorization: .public)
        return (api, api.addStage("$default"))
    }

    @Test func domainWithAliasRecordsAndAMappingFromAnotherStack() throws {
        let app = try Fixtures.synthesize { app in
            let (domain, _) = platform(app)
            let quiz = Stack(in: app, "Quiz")
            let (quizApi, live) = api(quiz, "Api")
            ApiMapping(in: quiz, "Mapping", domain: domain, api: quizApi, stage: live, key: "quiz")
        }
        #expect(Fixtures.yaml(app, "dev-Platform").contains("""
              ApiDomain:
                Type: AWS::ApiGatewayV2::DomainName
                Properties:
                  DomainName: api.dev.example.com
                  DomainNameConfigurations:
                  - CertificateArn: !Ref Cert
                    EndpointType: REGIONAL
                    SecurityPolicy: TLS_1_2
              ApiDomainAliasA:
                Type: AWS::Route53::RecordSet
                Properties:
                  HostedZoneId: !Ref Zone
                  Name: api.dev.example.com
                  Type: A
                  AliasTarget:
                    DNSName: !GetAtt ApiDomain.RegionalDomainName
                    HostedZoneId: !GetAtt ApiDomain.RegionalHostedZoneId
                    EvaluateTargetHealth: false
            """))
        #expect(Fixtures.yaml(app, "dev-Quiz").contains("""
              Mapping:
                Type: AWS::ApiGatewayV2::ApiMapping
                Properties:
                  DomainName: !Ref PlatformApiDomainName
                  ApiId: !Ref Api
                  Stage: !Ref ApiDefaultStage
                  ApiMappingKey: quiz
            """))
        #expect(app.stack(named: "dev-Quiz")?.dependencies == ["dev-Platform"])
    }

    @Test func mappingKeyAlreadyTakenIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let (domain, _) = platform(app)
            let quiz = Stack(in: app, "Quiz")
            let (first, firstStage) = api(quiz, "First")
            let (second, secondStage) = api(quiz, "Second")
            ApiMapping(in: quiz, "FirstMapping", domain: domain, api: first, stage: firstStage, key: "quiz", line: 5000)
            ApiMapping(in: quiz, "SecondMapping", domain: domain, api: second, stage: secondStage, key: "quiz", line: 5001)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/HttpApiTests.swift:5001: error: dev/Quiz/SecondMapping: mapping key 'quiz' is already taken on api.dev.example.com by dev/Quiz/FirstMapping (ConstructsTests/HttpApiTests.swift:5000)
              hint: mount this API under another key, e.g. 'quiz2' or the application's name
            """])
    }

    @Test func certificateThatDoesNotCoverTheDomainIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in _ = platform(app, certificateName: "www.dev.example.com") }
        #expect(diagnostics.map(\.message) == ["dev/Platform/ApiDomain: certificate dev/Platform/Cert (www.dev.example.com) does not cover 'api.dev.example.com'"])
    }

    @Test func certificateFromAnotherRegionIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let zone = HostedZone(in: Stack(in: app, "Dns"), "Zone", name: "dev.example.com")
            let certificate = Certificate(in: Stack(in: app, "Certs", region: "us-east-1"), "Cert", domainName: "*.dev.example.com", zone: zone)
            ApiDomainName(in: Stack(in: app, "Platform"), "ApiDomain", domainName: "api.dev.example.com", certificate: certificate)
        }
        #expect(diagnostics.map(\.message) == ["dev/Platform/ApiDomain: certificate dev/Certs/Cert is in us-east-1 but a regional API domain in eu-west-1 needs one in its own region"])
    }

    /// A pool with a resource server `photos` (scopes read, write), a web client and a machine
    /// client allowed only `photos/read`; an API whose Cognito authorizer accepts both.
    private func photosApi(_ app: App) -> (HttpApi, Stack) {
        let stack = Stack(in: app, "Photos")
        let pool = UserPool(in: stack, "Users")
        pool.addResourceServer("Api", identifier: "photos", scopes: [("read", "Read photos"), ("write", "Upload photos")])
        let web = pool.addClient("Web", .web(callbackURLs: ["https://photos.dev.example.com/cb"]))
        let machine = pool.addClient("Machine", .machine(scopes: ["photos/read"]))
        return (HttpApi(in: stack, "Api", defaultAuthorizer: .cognito(pool, clients: [web, machine])), stack)
    }

    @Test func routeScopesThatNoClientOfTheAuthorizerIsAllowedAreAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let (api, stack) = photosApi(app)
            let handler = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            api.addRoute("GET /photos", to: handler, authorization: .scopes(["photos/read"]))
            api.addRoute("PUT /photos/{id}", to: handler, authorization: .scopes(["photos/write"]), line: 7000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/HttpApiTests.swift:7000: error: dev/Photos/Api/PutPhotosIdRoute: route 'PUT /photos/{id}' requires scope 'photos/write', which no client of authorizer dev/Photos/Api/Authorizer is allowed: every token would be refused
              hint: allow the scope to a client (scopes: of addClient), or require a scope a client has (Web has openid, email, profile; Machine has photos/read)
            """])
    }

    @Test func aRouteIsReachableWhenOneClientHasOneOfItsScopes() throws {
        let app = try Fixtures.synthesize { app in
            let (api, stack) = photosApi(app)
            let handler = Function(in: stack, "Fn", handler: "a.b", code: .inline("x"))
            api.addRoute("GET /photos", to: handler, authorization: .scopes(["photos/write", "photos/read"]))
            api.addRoute("GET /me", to: handler, authorization: .scopes(["openid"]))
        }
        #expect(Fixtures.yaml(app, "dev-Photos").contains("""
                  AuthorizationScopes:
                  - photos/write
                  - photos/read
            """))
        #expect(app.warnings.isEmpty)
    }

    @Test func routePathsThatRepeatTheMappingKeyAreAWarning() throws {
        let app = try Fixtures.synthesize { app in
            let (domain, _) = platform(app)
            let photos = Stack(in: app, "Photos")
            let api = HttpApi(in: photos, "Api")
            let handler = Function(in: photos, "Fn", handler: "a.b", code: .inline("x"))
            api.addRoute("GET /photos", to: handler, authorization: .public)
            api.addRoute("GET /photos/{id}", to: handler, authorization: .public)
            api.addRoute("GET /photosets", to: handler, authorization: .public)
            ApiMapping(in: photos, "Mapping", domain: domain, api: api, stage: api.addStage("live"), key: "photos", line: 7100)
        }
        #expect(app.warnings.map(\.description) == ["""
            ConstructsTests/HttpApiTests.swift:7100: warning: dev/Photos/Mapping: routes 'GET /photos', 'GET /photos/{id}' of dev/Photos/Api repeat the mapping key 'photos': the first is served at https://api.dev.example.com/photos/photos
              hint: the mapping already puts /photos in front of every route: drop it from the route paths ('GET /photos' becomes 'GET /'), or mount the API with key: ""
            """])
        // A warning does not stop synthesis: the mapping is in the template.
        #expect(Fixtures.yaml(app, "dev-Photos").contains("ApiMappingKey: photos"))
    }

    @Test func oneRouteRepeatingAMultiSegmentKeyIsNamedAlone() throws {
        let app = try Fixtures.synthesize { app in
            let (domain, _) = platform(app)
            let photos = Stack(in: app, "Photos")
            let api = HttpApi(in: photos, "Api")
            api.addRoute("POST /photos/v2/upload", to: Function(in: photos, "Fn", handler: "a.b", code: .inline("x")), authorization: .public)
            ApiMapping(in: photos, "Mapping", domain: domain, api: api, stage: api.addStage("live"), key: "photos/v2", line: 7200)
        }
        #expect(app.warnings.map(\.description) == ["""
            ConstructsTests/HttpApiTests.swift:7200: warning: dev/Photos/Mapping: route 'POST /photos/v2/upload' of dev/Photos/Api repeats the mapping key 'photos/v2': it is served at https://api.dev.example.com/photos/v2/photos/v2/upload
              hint: the mapping already puts /photos/v2 in front of every route: drop it from the route paths ('POST /photos/v2/upload' becomes 'POST /upload'), or mount the API with key: ""
            """])
    }
}
