import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct UserPoolTests {
    @Test func ownerOnlyPoolWithWebClient() throws {
        let app = try Fixtures.synthesize { app in
            let pool = UserPool(in: Stack(in: app, "Test"), "Owners")
            pool.addClient("Web", .web(callbackURLs: ["https://app.dev.example.com/callback"]))
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
              Owners:
                Type: AWS::Cognito::UserPool
                Properties:
                  UsernameAttributes:
                  - email
                  AutoVerifiedAttributes:
                  - email
                  UsernameConfiguration:
                    CaseSensitive: false
                  AdminCreateUserConfig:
                    AllowAdminCreateUserOnly: true
            """))
        #expect(yaml.contains("MinimumLength: 12"))
        #expect(yaml.contains("DeletionProtection: ACTIVE"))
        #expect(yaml.contains("""
                  GenerateSecret: false
                  ExplicitAuthFlows:
                  - ALLOW_USER_SRP_AUTH
                  - ALLOW_REFRESH_TOKEN_AUTH
                  AllowedOAuthFlowsUserPoolClient: true
                  AllowedOAuthFlows:
                  - code
                  AllowedOAuthScopes:
                  - openid
                  - email
                  - profile
            """))
    }

    @Test func machineClientWithResourceServerScopes() throws {
        let app = try Fixtures.synthesize { app in
            let pool = UserPool(in: Stack(in: app, "Test"), "Clients")
            let machine = pool.addClient("Machine", .machine(scopes: ["test/weatherforecastapi"]))
            pool.addResourceServer("Api", identifier: "test", scopes: [("weatherforecastapi", "Read")])
            pool.addDomain(prefix: "weather-dev-example")
            _ = machine
        }
        let template = try #require(app.stack(named: "dev-Test")).template
        #expect(template.resource("ClientsMachine")?.dependsOn == ["ClientsApi"])
        #expect(template.resource("ClientsMachine")?.properties["AllowedOAuthFlows"] == ["client_credentials"])
        #expect(template.resource("ClientsMachine")?.properties["GenerateSecret"] == true)
        #expect(template.resource("ClientsDomain")?.properties["Domain"] == "weather-dev-example")
    }

    @Test func routeScopeThatNoResourceServerDefinesIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let pool = UserPool(in: stack, "Clients")
            pool.addResourceServer("Api", identifier: "test", scopes: [("weatherforecastapi", "Read")])
            let machine = pool.addClient("Machine", .machine(scopes: ["test/weatherforecastapi"]))
            let api = HttpApi(in: stack, "Api", defaultAuthorizer: .cognito(pool, clients: [machine]))
            api.addRoute("GET /weather", to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")), authorization: .scopes(["test/weatherforcastapi"]))
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Api/GetWeatherRoute: route 'GET /weather' requires scope 'test/weatherforcastapi', which no resource server of dev/Test/Clients defines"])
        #expect(diagnostics.first?.hint == "known scopes: aws.cognito.signin.user.admin, email, openid, phone, profile, test/weatherforecastapi")
    }

    @Test func cognitoAuthorizerUsesThePoolIssuerAndClientAudience() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let pool = UserPool(in: stack, "Owners")
            let web = pool.addClient("Web", .web(callbackURLs: ["https://x.dev.example.com/cb"]))
            HttpApi(in: stack, "Api", defaultAuthorizer: .cognito(pool, clients: [web]))
        }
        #expect(Fixtures.yaml(app, "dev-Test").contains("""
                  JwtConfiguration:
                    Issuer: !Sub https://cognito-idp.${AWS::Region}.amazonaws.com/${Owners}
                    Audience:
                    - !Ref OwnersWeb
            """))
    }

    @Test func invalidClientsAndDomainsAreErrors() {
        let diagnostics = Fixtures.diagnostics { app in
            let pool = UserPool(in: Stack(in: app, "Test"), "Pool", passwordMinimumLength: 4)
            pool.addClient("Machine", .machine(scopes: ["openid"]))
            pool.addClient("Web", .web(callbackURLs: ["http://app.example.com/cb"]))
            pool.addDomain(prefix: "my-cognito-login", line: 8000)
        }
        #expect(Set(diagnostics.map(\.message)) == [
            "dev/Test/Pool/Machine: a machine client needs custom scopes only",
            "dev/Test/Pool/Web: callback URL 'http://app.example.com/cb' must use https",
            "dev/Test/Pool: password minimum length 4 is outside 6...99",
            "dev/Test/Pool: domain prefix 'my-cognito-login' must be 1 to 63 lowercase letters, digits and '-', without 'aws', 'amazon' or 'cognito'",
        ])
    }
}
