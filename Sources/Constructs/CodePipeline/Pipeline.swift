import CloudFormation
import Synthesis

/// A delivery pipeline in the CI/CD account that deploys one environment from one branch.
///
/// Emits `AWS::CodePipeline::Pipeline` (V2) with a GitHub source through a CodeStar connection
/// (never a token) and a build stage, an `AWS::CodeBuild::Project` that runs `swift run synth check`
/// and then `swift run synth deploy <env> --account <env account> --bootstrap-roles`, the
/// project's log group (30 days), a private encrypted artifact bucket (retained) and the two
/// service roles. For each step, the build assumes the bootstrap deploy role
/// `stratus-deploy-<region>` of the step's region in the target account (one per region the
/// bootstrap reaches, so a us-east-1 certificate step works too), so that account must be bootstrapped to trust the CI/CD account; there is no
/// IAM user, no access key and no AdministratorAccess. The build image and compute size are
/// template parameters (`BuildImage`, `BuildComputeType`) with defaults.
///
///     Pipeline(in: delivery, "Pipeline", environment: app.environment,
///              connection: organisation.sourceConnection!, repository: "brainfartlab/ai-quiz", branch: "dev")
public final class Pipeline: Construct {
    public static let defaultImage = "public.ecr.aws/docker/library/swift:6.1-noble"

    public let target: Environment
    public let connection: String
    public let repository: String
    public let branch: String
    public private(set) var resource: CfnResource!
    public private(set) var project: CfnResource!
    public private(set) var artifacts: Bucket!

    @discardableResult
    public init(
        in scope: Construct, _ id: String, environment: Environment, connection: String, repository: String, branch: String,
        logRetentionDays: Int = 30, file: String = #fileID, line: Int = #line
    ) {
        self.target = environment
        self.connection = connection
        self.repository = repository
        self.branch = branch
        super.init(in: scope, id, file: file, line: line)
        guard let stack else { return }
        let image = stack.addParameter("BuildImage", Parameter(type: .string, description: "Container image CodeBuild runs synth in (it needs Swift 6).", defaultValue: .string(Self.defaultImage)))
        let compute = stack.addParameter("BuildComputeType", Parameter(
            type: .string, description: "CodeBuild compute size.", defaultValue: "BUILD_GENERAL1_MEDIUM",
            allowedValues: ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"]))

        artifacts = Bucket(in: self, "Artifacts", file: file, line: line)
        artifacts.resource.justify("CKV_AWS_18", because: "No access logs: only this pipeline's two roles read and write the bucket, and CodePipeline's execution history already records every run that touched it.")
        let logs = LogGroup(in: self, "BuildLogs", retentionDays: logRetentionDays, file: file, line: line)
        // The bootstrap creates a deploy role per region; the build assumes the one of each step's
        // region (synth deploy --bootstrap-roles does), so a us-east-1 step runs as
        // stratus-deploy-us-east-1 and passes stratus-cfn-exec-us-east-1.
        let regions = Self.bootstrapRegions(of: environment, in: app)
        let deployRoles = regions.map { "arn:${AWS::Partition}:iam::\(environment.account.id):role/\(Bootstrap.deployRoleName(region: $0))" }

        let buildRole = Role(in: self, "BuildRole", assumedBy: "codebuild.amazonaws.com", description: "Builds and deploys \(environment.name)", file: file, line: line)
        buildRole.addToPolicy(PolicyStatement(actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [logs.arn]))
        buildRole.addToPolicy(PolicyStatement(actions: ["s3:GetObject", "s3:PutObject"], resources: [artifacts.objectsArn]))
        buildRole.addToPolicy(PolicyStatement(actions: ["sts:AssumeRole"], resources: deployRoles.map { .sub($0, Object()) }))

        project = CfnResource(
            in: self, "Build", type: "AWS::CodeBuild::Project",
            properties: [
                "Description": .string("synth check, then deploy \(environment.name) from \(repository)@\(branch)"),
                "ServiceRole": buildRole.arn,
                "Artifacts": ["Type": "CODEPIPELINE"],
                "Source": ["Type": "CODEPIPELINE", "BuildSpec": .string(Self.buildSpec)],
                "Environment": [
                    "Type": "LINUX_CONTAINER", "ComputeType": compute, "Image": image, "ImagePullCredentialsType": "CODEBUILD",
                    "EnvironmentVariables": [
                        ["Name": "STRATUS_ENVIRONMENT", "Type": "PLAINTEXT", "Value": .string(environment.name)],
                        ["Name": "STRATUS_ACCOUNT", "Type": "PLAINTEXT", "Value": .string(environment.account.profile)],
                    ],
                ],
                "LogsConfig": ["CloudWatchLogs": ["Status": "ENABLED", "GroupName": logs.name]],
                "TimeoutInMinutes": 60,
            ], file: file, line: line)

        let pipelineRole = Role(in: self, "PipelineRole", assumedBy: "codepipeline.amazonaws.com", description: "Runs the \(environment.name) pipeline", file: file, line: line)
        pipelineRole.addToPolicy(PolicyStatement(actions: ["s3:GetObject", "s3:PutObject"], resources: [artifacts.objectsArn]))
        pipelineRole.addToPolicy(PolicyStatement(actions: ["s3:GetBucketLocation", "s3:ListBucket"], resources: [artifacts.arn]))
        pipelineRole.addToPolicy(PolicyStatement(actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"], resources: [.string(connection)]))
        pipelineRole.addToPolicy(PolicyStatement(actions: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], resources: [project.attribute("Arn")]))

        resource = CfnResource(
            in: self, type: "AWS::CodePipeline::Pipeline",
            properties: [
                "Name": .sub("${AWS::StackName}-\(id)", Object()),
                "PipelineType": "V2",
                "RoleArn": pipelineRole.arn,
                "ArtifactStore": ["Type": "S3", "Location": artifacts.name],
                "Stages": [
                    ["Name": "Source", "Actions": [[
                        "Name": "GitHub",
                        "ActionTypeId": ["Category": "Source", "Owner": "AWS", "Provider": "CodeStarSourceConnection", "Version": "1"],
                        "Configuration": [
                            "ConnectionArn": .string(connection), "FullRepositoryId": .string(repository), "BranchName": .string(branch),
                            "OutputArtifactFormat": "CODE_ZIP", "DetectChanges": true,
                        ],
                        "OutputArtifacts": [["Name": "Source"]],
                    ]]],
                    ["Name": "CheckAndDeploy", "Actions": [[
                        "Name": "Synth",
                        "ActionTypeId": ["Category": "Build", "Owner": "AWS", "Provider": "CodeBuild", "Version": "1"],
                        "Configuration": ["ProjectName": project.ref("Name")],
                        "InputArtifacts": [["Name": "Source"]],
                    ]]],
                ],
            ], file: file, line: line)
        app.record(.pipeline(PipelineFact(
            pipeline: "\(stack.stackName)-\(id)", stack: stack.stackName, account: "\(stack.account)", repository: repository, branch: branch,
            environment: environment.name, targetAccount: "\(environment.account)", deployRoles: regions.map(Bootstrap.deployRoleName(region:)))))
    }

    /// What the build runs: check that out/ is what the code produces, then deploy the
    /// environment's steps in its own account with the bootstrap roles.
    static let buildSpec = """
        version: 0.2
        phases:
          install:
            commands:
              - Scripts/setup
          build:
            commands:
              - swift run synth check
              - mkdir -p ~/.aws
              - printf '[profile %s]\\ncredential_source = EcsContainer\\n' "$STRATUS_ACCOUNT" >> ~/.aws/config
              - swift run synth deploy "$STRATUS_ENVIRONMENT" --account "$STRATUS_ACCOUNT" --bootstrap-roles

        """

    /// The regions where the bootstrap StackSet creates deploy roles in the environment's
    /// account; the environment's own region when no bootstrap is known yet.
    static func bootstrapRegions(of environment: Environment, in app: App) -> [String] {
        let bootstrap = app.reviewFacts.lazy.compactMap { fact -> StackSetFact? in
            if case .stackSet(let set) = fact, set.providesBootstrap, set.targetAccounts.contains(environment.account.id) { set } else { nil }
        }.first
        guard let regions = bootstrap?.regions, !regions.isEmpty else { return [environment.region] }
        return [environment.region] + regions.filter { $0 != environment.region }
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let arn = connection.hasPrefix("arn:aws:codestar-connections:") || connection.hasPrefix("arn:aws:codeconnections:")
        if !arn {
            let looksLikeToken = ["ghp_", "github_pat_", "gho_", "ghs_"].contains { connection.hasPrefix($0) }
            problems.append(.construct(
                self, looksLikeToken ? "source is given as a personal access token" : "source connection '\(connection)' is not a CodeStar connection ARN",
                hint: "create a CodeStar (CodeConnections) connection to GitHub in the cicd account and put its ARN in Environments/organisation.yaml as sourceConnection; tokens end up in templates and logs"))
        }
        let parts = repository.split(separator: "/")
        if parts.count != 2 || parts.contains(where: \.isEmpty) {
            problems.append(.construct(self, "repository '\(repository)' is not OWNER/NAME", hint: "e.g. brainfartlab/ai-quiz"))
        }
        for other in app.environments where other.name != target.name {
            if let settings = other.pipeline, settings.repository == repository, settings.branch == branch {
                problems.append(.construct(
                    self, "branch '\(branch)' of \(repository) is mapped to both \(target.name) and \(other.name)",
                    hint: "map each branch to one environment (\(other.file) and \(target.file))"))
            }
        }
        let cicd = stack?.account.id ?? ""
        let bootstrapped = app.reviewFacts.contains { fact in
            guard case .stackSet(let set) = fact, let parameters = set.overrides[target.account.id] else { return false }
            return (parameters["TrustedAccounts"] ?? "").split(separator: ",").contains(Substring(cicd))
        }
        if !bootstrapped {
            problems.append(.construct(
                self, "pipeline targets account \(target.account), which is not bootstrapped to trust the CI/CD account \(cicd)",
                hint: "add \(target.name) to the bootstrap StackSet's trust for the cicd account (Stacks/OrganisationBootstrap.swift)"))
        }
        return problems
    }
}
