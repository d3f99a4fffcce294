import CloudFormation
import Constructs
import Plan
import Synthesis
import TestSupport
import Testing

private let connection = "arn:aws:codeconnections:eu-west-1:900000000003:connection/6f1f2a8e-5c3d-4b7a-9e21-0d4c8b7a1f00"

/// Three stages sharing account 700000000001, each with a pipeline from its own branch.
private func stages(branches: [String] = ["dev", "staging", "main"]) -> [Environment] {
    zip(["dev", "staging", "prod"], branches).map { name, branch in
        Environment(
            name: name, account: Account(name: name, id: "700000000001", region: "us-east-1"), domain: "\(name).example.com",
            file: "Environments/\(name).yaml", organisationalUnit: "ou-test-hdoc0001",
            pipeline: PipelineSettings(repository: "o/backend", branch: branch))
    }
}

/// An app for `environment` with the bootstrap (trusting cicd when `bootstrapped`) and its pipeline.
private func app(_ environment: Environment, all: [Environment], bootstrapped: Bool = true, source: String = connection) -> App {
    let app = App(environment: environment, organisation: Fixtures.organisation, environments: all, rootDirectory: Repository.root)
    let template = Stack(in: app, "BootstrapTemplate", account: app.organisation.management, shared: true, templateOnly: true)
    let bootstrap = Bootstrap(in: template, "Bootstrap")
    bootstrap.rollOut(
        in: Stack(in: app, "OrganisationBootstrap", account: app.organisation.management, shared: true), "StackSet",
        environments: all, trust: bootstrapped ? Dictionary(uniqueKeysWithValues: all.map { ($0.name, [app.organisation.cicd.id]) }) : [:])
    let delivery = Stack(in: app, "Delivery", account: app.organisation.cicd)
    Pipeline(in: delivery, "Pipeline", environment: environment, connection: source, repository: "o/backend",
             branch: environment.pipeline!.branch, line: 9000)
    return app
}

private func diagnostics(_ app: App) -> [Diagnostic] {
    do { _ = try Synthesizer.synthesize(app); return [] } catch let error as DiagnosticError { return error.diagnostics } catch { return [] }
}

@Suite struct PipelineTests {
    @Test func pipelineReadsGitHubThroughAConnectionAndDeploysWithTheBootstrapRole() throws {
        let all = stages()
        let synthesized = try Synthesizer.synthesize(app(all[1], all: all))
        let yaml = Fixtures.yaml(synthesized, "staging-Delivery")
        #expect(yaml.contains("""
                      ActionTypeId:
                        Category: Source
                        Owner: AWS
                        Provider: CodeStarSourceConnection
                        Version: '1'
                      Configuration:
                        ConnectionArn: \(connection)
                        FullRepositoryId: o/backend
                        BranchName: staging
            """))
        #expect(yaml.contains("Resource: !Sub arn:${AWS::Partition}:iam::700000000001:role/stratus-deploy-us-east-1"))
        #expect(yaml.contains("- swift run synth check"))
        #expect(yaml.contains("BuildComputeType:\n    Type: String"))
        #expect(yaml.contains("BuildImage:\n    Type: String"))
        #expect(!yaml.contains("AdministratorAccess"))
        #expect(!yaml.contains("AWS::IAM::User") && !yaml.contains("AWS::IAM::AccessKey"))
        #expect(synthesized.stack(named: "staging-Delivery")?.account.name == "cicd")
        #expect(synthesized.pipelines.map { "\($0.repository)@\($0.branch) -> \($0.environment)" } == ["o/backend@staging -> staging"])
        let plan = DeployPlan(synthesized)
        #expect(plan.markdown().contains("| staging-Delivery-Pipeline | cicd (900000000003) | staging into staging (700000000001) | o/backend branch `staging` | stratus-deploy-us-east-1 |"))
        // The artifact bucket is private and encrypted.
        #expect(yaml.contains("RestrictPublicBuckets: true") && yaml.contains("SSEAlgorithm: AES256"))
    }

    @Test func personalAccessTokenAsSourceIsAnError() {
        let all = stages()
        let problems = diagnostics(app(all[0], all: all, source: "ghp_abcdefghijklmnopqrstuvwxyz0123456789"))
        #expect(problems.map(\.description) == ["""
            ConstructsTests/PipelineTests.swift:9000: error: dev/Delivery/Pipeline: source is given as a personal access token
              hint: create a CodeStar (CodeConnections) connection to GitHub in the cicd account and put its ARN in Environments/organisation.yaml as sourceConnection; tokens end up in templates and logs
            """])
    }

    @Test func branchMappedToTwoEnvironmentsIsAnError() {
        let all = stages(branches: ["dev", "main", "main"])
        let problems = diagnostics(app(all[1], all: all))
        #expect(problems.map(\.message) == ["staging/Delivery/Pipeline: branch 'main' of o/backend is mapped to both staging and prod"])
    }

    @Test func pipelineTargetingAnAccountWithoutTheBootstrapIsAnError() {
        let all = stages()
        let problems = diagnostics(app(all[0], all: all, bootstrapped: false))
        #expect(problems.map(\.message) == ["dev/Delivery/Pipeline: pipeline targets account dev (700000000001), which is not bootstrapped to trust the CI/CD account 900000000003"])
    }
}

@Suite struct SharedAccountTests {
    @Test func generatedNamesCarryTheEnvironment() throws {
        let all = stages()
        let apps = try all.map { try Synthesizer.synthesize(app($0, all: all)) }
        #expect(PhysicalNames.collisions(apps).isEmpty)
        #expect(apps.map { $0.stacks.filter { !$0.isShared }.map(\.stackName) } == [["dev-Delivery"], ["staging-Delivery"], ["prod-Delivery"]])
    }

    @Test func twoEnvironmentsCreatingOneNameIsAnErrorNamingBoth() throws {
        let all = stages()
        let apps = try all.prefix(2).map { environment in
            try Fixtures.synthesize(environment) { app in
                Bucket(in: Stack(in: app, "Web"), "Site", bucketName: "backend-site")
            }
        }
        #expect(PhysicalNames.collisions(apps).map(\.description) == ["""
            Environments/staging.yaml: error: environments dev and staging both create AWS::S3::Bucket 'backend-site' everywhere (stacks dev-Web and staging-Web)
              hint: stages that share an account need names that carry the environment; leave the name to CloudFormation or include the environment's name
            """])
    }

    @Test func namesWithTheStackNameAreConcretePerStage() throws {
        let all = stages()
        let apps = try all.prefix(2).map { environment in
            try Fixtures.synthesize(environment) { app in
                _ = Role(in: Stack(in: app, "Jobs"), "Runner", assumedBy: "lambda.amazonaws.com", roleName: .sub("${AWS::StackName}-runner", Object()))
                _ = Role(in: Stack(in: app, "Fixed"), "Runner", assumedBy: "lambda.amazonaws.com", roleName: "runner")
            }
        }
        #expect(PhysicalNames.collisions(apps).map(\.message) == [
            "environments dev and staging both create AWS::IAM::Role 'runner' in 700000000001 us-east-1 (stacks dev-Fixed and staging-Fixed)"
        ])
    }
}
