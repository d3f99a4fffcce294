import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct GitHubDeployRoleTests {
    @Test func trustIsLimitedToOneRepositoryAndBranch() throws {
        let app = try Fixtures.synthesize { app in
            GitHubDeployRole(in: Stack(in: app, "Cicd", account: app.organisation.cicd), "Deploy", repository: "brainfartlab/service-weather",
                             statements: [PolicyStatement(actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::x"])])
        }
        #expect(Fixtures.yaml(app, "dev-Cicd").contains("""
                  AssumeRolePolicyDocument:
                    Version: '2012-10-17'
                    Statement:
                    - Effect: Allow
                      Principal:
                        Federated: !Ref DeployProvider
                      Action: sts:AssumeRoleWithWebIdentity
                      Condition:
                        StringEquals:
                          token.actions.githubusercontent.com:aud: sts.amazonaws.com
                          token.actions.githubusercontent.com:sub: repo:brainfartlab/service-weather:ref:refs/heads/main
            """))
        #expect(app.trusts.map(\.trusted) == [["GitHub Actions repo:brainfartlab/service-weather:ref:refs/heads/main"]])
    }

    @Test(arguments: ["*", "brainfartlab/*", "", "brainfartlab"])
    func roleWithoutARepositoryConditionIsAnError(_ repository: String) {
        let diagnostics = Fixtures.diagnostics { app in
            GitHubDeployRole(in: Stack(in: app, "Cicd", account: app.organisation.cicd), "Deploy", repository: repository)
        }
        #expect(diagnostics.map(\.message) == ["dev/Cicd/Deploy: GitHub role has no repository condition: '\(repository)' is not OWNER/NAME"])
    }

    @Test func terraformBackendRoleUsesBucketTableAndKeyOnly() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Cicd", account: app.organisation.cicd)
            let deploy = GitHubDeployRole(in: stack, "Deploy", repository: "o/r")
            let state = TerraformStateBackend(in: stack, "State", name: "dev-weather-terraform-state", assumedBy: .accounts(deploy.role.arn))
            deploy.role.attachPolicy("UseState", [PolicyStatement(actions: ["sts:AssumeRole"], resources: [state.role.arn])])
        }
        let template = try #require(app.stack(named: "dev-Cicd")).template
        #expect(template.resource("StateBucket")?.deletionPolicy == .retain)
        #expect(template.resource("StateKey")?.properties["EnableKeyRotation"] == true)
        #expect(template.resource("StateLocks")?.properties["KeySchema"] == [["AttributeName": "LockID", "KeyType": "HASH"]])
        #expect(template.resource("DeployRoleUseState")?.type == "AWS::IAM::Policy")
        let yaml = Fixtures.yaml(app, "dev-Cicd")
        #expect(yaml.contains("SSEAlgorithm: aws:kms"))
        #expect(yaml.contains("- !Ref StateKeyAlias") == false)
        #expect(yaml.contains("AliasName: alias/dev-weather-terraform-state"))
    }
}
