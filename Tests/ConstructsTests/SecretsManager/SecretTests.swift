import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct SecretTests {
    @Test func aSecretReadByAFunctionInAnotherAccountIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let shared = Stack(in: app, "Keys", account: app.organisation.network)
            let secret = Secret(in: shared, "ApiKey", value: .setLater)
            let function = Function(in: Stack(in: app, "Test"), "Fn", handler: "a.b", code: .inline("x"), line: 5000)
            secret.grantRead(to: function, line: 5001)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/SecretTests.swift:5001: error: dev/Test/Fn: grantRead on dev/Keys/ApiKey crosses accounts: the resource is in dev-Keys (network (900000000002)), the grantee in dev-Test (dev (800000000001))
              hint: a secret is read in its own account: create the secret in the reader's stack (each environment its own) and set its value there
            """])
    }

    @Test func generatedLengthOutOfRangeIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Secret(in: Stack(in: app, "Test"), "Password", value: .generated(length: 4), line: 5100)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/SecretTests.swift:5100: error: dev/Test/Password: generated secret length 4 is outside 8...4096
              hint: 32 characters is the default
            """])
    }
}
