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

    @Test func aParameterAndASecureStringReferenceWithReadGrants() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            StringParameter(in: stack, "LogLevel", name: "/dev/photos/log-level", value: "INFO").grantRead(to: thumbnailer)
            StringParameter.secureString(in: stack, "Token", name: "/dev/photos/token", keyArn: "arn:aws:kms:eu-west-1:800000000001:key/abc")
                .grantRead(to: thumbnailer)
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              LogLevel:
                Type: AWS::SSM::Parameter
                Properties:
                  Name: /dev/photos/log-level
                  Type: String
                  Value: INFO
            """))
        #expect(!yaml.contains("Token:"))
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action:
                        - ssm:GetParameter
                        - ssm:GetParameters
                        Resource:
                        - !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dev/photos/log-level
                        - !Sub arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/dev/photos/token
                      - Effect: Allow
                        Action: kms:Decrypt
                        Resource: arn:aws:kms:eu-west-1:800000000001:key/abc
                        Condition:
                          StringEquals:
                            kms:ViaService: !Sub ssm.${AWS::Region}.amazonaws.com
            """))
    }
}
