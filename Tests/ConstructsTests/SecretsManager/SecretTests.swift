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

    @Test func aSecretWithItsOwnKeyAndAReadGrant() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            Secret(in: stack, "ApiKey", value: .setLater).grantRead(to: thumbnailer)
            Secret(in: stack, "Password")
        }
        let yaml = Fixtures.yaml(app, "dev-Photos")
        #expect(yaml.contains("""
              ApiKeyKey:
                Type: AWS::KMS::Key
                Properties:
                  Description: Encrypts secret Photos/ApiKey
                  EnableKeyRotation: true
                  KeyPolicy:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        AWS: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:root
                      Action: kms:*
                      Resource: '*'
                  PendingWindowInDays: 30
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """))
        #expect(yaml.contains("""
              ApiKey:
                Type: AWS::SecretsManager::Secret
                Properties:
                  KmsKeyId: !GetAtt ApiKeyKey.Arn
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """))
        #expect(yaml.contains(#"""
              Password:
                Type: AWS::SecretsManager::Secret
                Properties:
                  GenerateSecretString:
                    ExcludeCharacters: '"''@/\`'
                    PasswordLength: 32
                  KmsKeyId: !GetAtt PasswordKey.Arn
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
            """#))
        #expect(yaml.contains("""
                      - Effect: Allow
                        Action: kms:Decrypt
                        Resource: !GetAtt ApiKeyKey.Arn
                        Condition:
                          StringEquals:
                            kms:ViaService: !Sub secretsmanager.${AWS::Region}.amazonaws.com
                      - Effect: Allow
                        Action:
                        - secretsmanager:DescribeSecret
                        - secretsmanager:GetSecretValue
                        Resource: !Ref ApiKey
            """))
    }
}
