import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct StringParameterTests {
    @Test func aNameThatIsNotAnSSMPathIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            StringParameter(in: stack, "Relative", name: "dev/app/level", value: "INFO", line: 6000)
            StringParameter(in: stack, "Spaces", name: "/dev/app/log level", value: "INFO", line: 6001)
            StringParameter(in: stack, "Reserved", name: "/aws/app/level", value: "INFO", line: 6002)
            StringParameter.secureString(in: stack, "Token", name: "/dev//token", line: 6003)
        }
        #expect(diagnostics.map(\.description) == [
            """
            ConstructsTests/StringParameterTests.swift:6000: error: dev/Test/Relative: parameter name 'dev/app/level' is not a valid SSM path: a path must start with '/'
              hint: write a path of letters, digits, '_', '.' and '-' levels, e.g. /dev/resume/log-level
            """,
            """
            ConstructsTests/StringParameterTests.swift:6001: error: dev/Test/Spaces: parameter name '/dev/app/log level' is not a valid SSM path: ' ' is not allowed (letters, digits, '_', '.', '-' and '/' are)
              hint: write a path of letters, digits, '_', '.' and '-' levels, e.g. /dev/resume/log-level
            """,
            """
            ConstructsTests/StringParameterTests.swift:6002: error: dev/Test/Reserved: parameter name '/aws/app/level' is not a valid SSM path: names starting with 'aws' or 'ssm' are reserved
              hint: write a path of letters, digits, '_', '.' and '-' levels, e.g. /dev/resume/log-level
            """,
            """
            ConstructsTests/StringParameterTests.swift:6003: error: dev/Test/Token: parameter name '/dev//token' is not a valid SSM path: it has an empty level ('//')
              hint: write a path of letters, digits, '_', '.' and '-' levels, e.g. /dev/resume/log-level
            """,
        ])
    }
}
