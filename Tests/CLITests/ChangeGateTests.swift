import CloudFormation
import Constructs
import Foundation
import Plan
import Synthesis
import TestSupport
import Testing

/// The change gate, one category of the issue per test: a real change to a copy of a stack (or a
/// pair of template folders), the resource actions and data-loss flags the diff gives it, the
/// security lines, and the exit code of `synth check --base <folder> --head <folder>`.
@Suite(.serialized) struct ChangeGateTests {
    private let synth = Repository.synthExecutable

    /// A base and a head folder laid out like out/, and the diff between them.
    struct Pair {
        let directory: TemporaryDirectory
        let diff: EnvironmentDiff
        var base: String { directory.url.appendingPathComponent("base").path }
        var head: String { directory.url.appendingPathComponent("head").path }
        func stack(_ name: String) -> StackDiff? { diff.stacks.first { $0.stack == name } }
        func resource(_ stack: String, _ id: String) -> ResourceChange? { self.stack(stack)?.resources.first { $0.logicalId == id } }
    }

    private func write(_ files: [String: Data], to folder: URL) throws {
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url)
        }
    }

    private func pair(base: [String: Data], head: [String: Data]) throws -> Pair {
        let directory = try TemporaryDirectory()
        try write(base, to: directory.url.appendingPathComponent("base/dev"))
        try write(head, to: directory.url.appendingPathComponent("head/dev"))
        // The diff the CLI computes: both sides read back from the folders.
        let diff = OutputDiff.diff(
            environment: "dev", new: Repository.snapshot(of: directory.url.appendingPathComponent("head/dev")),
            old: Repository.snapshot(of: directory.url.appendingPathComponent("base/dev")))
        return Pair(directory: directory, diff: diff)
    }

    /// Two versions of an app built with the constructs.
    private func pair(_ body: @escaping (App, Bool) -> Void) throws -> Pair {
        func files(_ changed: Bool) throws -> [String: Data] {
            let output = EnvironmentOutput(try Fixtures.synthesize { body($0, changed) })
            return Dictionary(uniqueKeysWithValues: output.files.map { ($0.path, $0.contents) })
        }
        return try pair(base: try files(false), head: try files(true))
    }

    /// Two versions of raw templates (stack name -> YAML).
    private func pair(base: [String: String], head: [String: String]) throws -> Pair {
        func files(_ templates: [String: String]) -> [String: Data] {
            var files = Dictionary(uniqueKeysWithValues: templates.map { ("\($0.key).template.yaml", Data($0.value.utf8)) })
            files["plan.json"] = Data("{}".utf8)
            return files
        }
        return try pair(base: files(base), head: files(head))
    }

    private func check(_ pair: Pair, acknowledge: [String] = []) throws -> CommandResult {
        try Command.run(synth, ["check", "--base", pair.base, "--head", pair.head, "--root", pair.directory.url.path]
                        + acknowledge.flatMap { ["--acknowledge", $0] }, in: pair.directory.url)
    }

    private func text(_ pair: Pair) -> String { DiffReport([pair.diff], colour: false).text() }

    // MARK: 1. Conditional create-only properties

    @Test func changingTheRestoredSnapshotMayReplaceTheDatabaseAndIsGated() throws {
        let pair = try pair { app, changed in
            let stack = Stack(in: app, "Data")
            DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network"), restore: .identifier(changed ? "digidex-snap-2" : "digidex-snap-1"))
        }
        let db = try #require(pair.resource("dev-Data", "Db"))
        #expect(db.action == .mayReplace)
        #expect(db.possibleDataLoss)
        #expect(db.changes.first { $0.path == "DBSnapshotIdentifier" }?.impact == .mayReplace)
        #expect(db.dataLoss == "may be replaced: the new resource starts empty and the old one is deleted after a final snapshot")
        #expect(pair.stack("dev-Data")?.security == [])
        #expect(text(pair).contains("[~/+] AWS::RDS::DBInstance Db may be replaced (stateful: possible data loss)\n      DBSnapshotIdentifier: digidex-snap-1 -> digidex-snap-2 (may replace)"))
        let refused = try check(pair)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(refused.stdout.contains("AWS::RDS::DBInstance dev/dev-Data/Db: may be replaced"))
        #expect(try check(pair, acknowledge: ["dev/dev-Data/Db"]).status == 0)
    }

    @Test func aDeployTimeSnapshotParameterIsListedInThePlanReview() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Data")
            DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network"), restore: .deployParameter)
        }
        let plan = DeployPlan(app)
        #expect(plan.replacingParameters?.map { "\($0.parameter) \($0.resource).\($0.property)" } == ["DbSnapshot Db.DBSnapshotIdentifier"])
        #expect(plan.markdown().contains("| dev-Data | `DbSnapshot` | Db.DBSnapshotIdentifier (AWS::RDS::DBInstance, a conditional create-only property) | changing this value at deploy time replaces the database |"))
    }

    // MARK: 2. Replacements spread

    @Test func aVpcCidrChangeReplacesEverythingThatNamesTheVpcOrItsSubnets() throws {
        let pair = try pair { app, changed in
            let stack = Stack(in: app, "Network")
            let vpc = Vpc(in: stack, "Network", cidr: changed ? "10.1.0.0/16" : "10.0.0.0/16")
            let database = DatabaseInstance(in: stack, "Db", vpc: vpc)
            database.allowConnections(from: Function(in: stack, "Fn", handler: "a.b", code: .inline("x"), vpc: vpc))
            // FSx names its subnets in a create-only property: it is replaced with them.
            CfnResource(in: stack, "Files", type: "AWS::FSx::FileSystem", properties: [
                "FileSystemType": "LUSTRE", "StorageCapacity": 1200, "SubnetIds": [vpc.subnets(.isolated)[0].subnetId],
            ])
        }
        let stack = try #require(pair.stack("dev-Network"))
        func action(_ id: String) -> ChangeAction? { stack.resources.first { $0.logicalId == id }?.action }
        for id in ["Network", "NetworkIsolatedSubnet1", "NetworkIsolatedSubnet1RouteTable", "NetworkIsolatedSubnet1RouteTableAssociation",
                   "DbSecurityGroup", "FnSecurityGroup", "DbSecurityGroupFromFn5432", "Files"] {
            #expect(action(id) == .replace, "\(id)")
        }
        #expect(action("Db") == .update)
        #expect(action("DbSubnetGroup") == .update)
        let routeTable = try #require(pair.resource("dev-Network", "NetworkIsolatedSubnet1RouteTable"))
        #expect(routeTable.replacedBecause.map(\.description) == ["replaced because Network is replaced (VpcId references it)"])
        let files = try #require(pair.resource("dev-Network", "Files"))
        #expect(files.possibleDataLoss)
        #expect(files.replacedBecause.map(\.description) == ["replaced because NetworkIsolatedSubnet1 is replaced (SubnetIds[*] references it)"])
        #expect(pair.diff.destructiveChanges.map(\.change.logicalId) == ["Files"])
        #expect(stack.security == [])
        let refused = try check(pair)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("AWS::FSx::FileSystem dev/dev-Network/Files: replaced: the new resource starts empty and the old one is deleted, with its files (replaced because NetworkIsolatedSubnet1 is replaced (SubnetIds[*] references it))"), "\(refused.stdout)")
    }

    @Test func replacingTheApiDomainReplacesTheMappingsInOtherStacks() throws {
        let pair = try pair { app, changed in
            let edge = Stack(in: app, "Edge")
            let zone = HostedZone(in: edge, "Zone", name: "dev.example.com")
            let certificate = Certificate(in: edge, "Certificate", domainName: "*.dev.example.com", zone: zone)
            let domain = ApiDomainName(in: edge, "ApiDomain", domainName: changed ? "api2.dev.example.com" : "api.dev.example.com", certificate: certificate)
            for name in ["Shop", "Blog"] {
                let stack = Stack(in: app, name)
                let api = HttpApi(in: stack, "Api")
                api.addRoute("GET /health", to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x")), authorization: .public)
                ApiMapping(in: stack, "Mapping", domain: domain, api: api, stage: api.addStage("live"), key: name.lowercased())
            }
        }
        #expect(pair.resource("dev-Edge", "ApiDomain")?.action == .replace)
        #expect(pair.stack("dev-Edge")?.outputs.contains { $0.cause == "the value changes: ApiDomain is replaced" } == true)
        for name in ["dev-Shop", "dev-Blog"] {
            let mapping = try #require(pair.resource(name, "Mapping"))
            #expect(mapping.action == .replace)
            #expect(!mapping.possibleDataLoss)
            let cause = try #require(mapping.replacedBecause.first)
            #expect(cause.resource == "dev-Edge/ApiDomain" && cause.property == "DomainName" && cause.parameter != nil)
            #expect(pair.stack(name)?.parameters.contains { $0.cause?.contains("dev-Edge/ApiDomain is replaced") == true } == true)
        }
        #expect(try check(pair).status == 0)
    }

    // MARK: 3. The stateful set

    @Test func deletingAQueueLosesItsMessagesAndTheWordingFollowsTheDeletionPolicy() throws {
        let pair = try pair { app, changed in
            let stack = Stack(in: app, "Work")
            Queue(in: stack, changed ? "Jobs" : "Tasks")
            Table(in: stack, changed ? "Orders2" : "Orders", partitionKey: .string("Id"))
        }
        let queue = try #require(pair.resource("dev-Work", "Tasks"))
        #expect(queue.action == .remove && queue.possibleDataLoss)
        #expect(queue.dataLoss == "deleted, with its messages and dead-letter messages")
        let table = try #require(pair.resource("dev-Work", "Orders"))
        #expect(table.dataLoss == "kept but orphaned: the stack no longer manages it (DeletionPolicy Retain)")
        #expect(pair.stack("dev-Work")?.security.allSatisfy { $0.fact.hasPrefix("encryption ") || $0.fact.hasPrefix("deletion protection ") } == true)
        let refused = try check(pair)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("AWS::SQS::Queue dev/dev-Work/Tasks: deleted, with its messages and dead-letter messages"))
    }

    @Test func theStatefulListCoversEveryServiceThatHoldsData() {
        for type in ["AWS::DynamoDB::Table", "AWS::RDS::DBInstance", "AWS::RDS::DBCluster", "AWS::S3::Bucket", "AWS::EFS::FileSystem",
                     "AWS::FSx::FileSystem", "AWS::Kinesis::Stream", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::ECR::Repository",
                     "AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::Cognito::UserPool", "AWS::Route53::HostedZone",
                     "AWS::Logs::LogGroup", "AWS::OpenSearchService::Domain", "AWS::ElastiCache::ReplicationGroup", "AWS::Backup::BackupVault"] {
            #expect(StatefulResources.listed(type), "\(type)")
        }
        #expect(StatefulResources.entries.allSatisfy { $0.source.hasPrefix("https://docs.aws.amazon.com/") })
        // A topic holds state only with subscriptions; memcached holds none.
        let topic = try! Document.parse("Type: AWS::SNS::Topic\nProperties: {}\n")
        #expect(StatefulResources.entry(logicalId: "T", resource: topic, template: nil) == nil)
        let subscribed = try! Document.parse("Resources:\n  T: {Type: AWS::SNS::Topic}\n  S:\n    Type: AWS::SNS::Subscription\n    Properties: {TopicArn: !Ref T, Protocol: email, Endpoint: a@b.c}\n")
        #expect(StatefulResources.entry(logicalId: "T", resource: subscribed["Resources"]?["T"], template: subscribed) != nil)
        let memcached = try! Document.parse("Type: AWS::ElastiCache::CacheCluster\nProperties: {Engine: memcached}\n")
        #expect(StatefulResources.entry(logicalId: "C", resource: memcached, template: nil) == nil)
    }

    // MARK: 4. The security section

    static let secureTemplate = """
        Resources:
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: api, ProtocolType: HTTP, CorsConfiguration: {AllowOrigins: ['https://app.example.com'], AllowCredentials: false}}
          Auth:
            Type: AWS::ApiGatewayV2::Authorizer
            Properties: {ApiId: !Ref Api, AuthorizerType: JWT, Name: jwt, IdentitySource: [$request.header.Authorization], JwtConfiguration: {Issuer: 'https://issuer.example.com/', Audience: [api]}}
          Route:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: GET /orders, AuthorizationType: JWT, AuthorizerId: !Ref Auth}
          Db:
            Type: AWS::RDS::DBInstance
            DeletionPolicy: Snapshot
            UpdateReplacePolicy: Snapshot
            Properties: {Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: '20', StorageEncrypted: true, PubliclyAccessible: false, DeletionProtection: true}
          Table:
            Type: AWS::DynamoDB::Table
            Properties: {BillingMode: PAY_PER_REQUEST, KeySchema: [{AttributeName: Id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: Id, AttributeType: S}], SSESpecification: {SSEEnabled: true}, DeletionProtectionEnabled: true}
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}}]}
              PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
          Queue:
            Type: AWS::SQS::Queue
            Properties: {KmsMasterKeyId: alias/aws/sqs}
          Topic:
            Type: AWS::SNS::Topic
            Properties: {KmsMasterKeyId: alias/aws/sns}
          Logs:
            Type: AWS::Logs::LogGroup
            Properties: {KmsKeyId: arn:aws:kms:eu-west-1:111111111111:key/abc, RetentionInDays: 30}
          Pool:
            Type: AWS::Cognito::UserPool
            Properties:
              AdminCreateUserConfig: {AllowAdminCreateUserOnly: true}
              MfaConfiguration: 'ON'
              Policies: {PasswordPolicy: {MinimumLength: 12, RequireSymbols: true}}
              DeletionProtection: ACTIVE
          Url:
            Type: AWS::Lambda::Url
            Properties: {TargetFunctionArn: arn:aws:lambda:eu-west-1:111111111111:function:f, AuthType: AWS_IAM}
          Role:
            Type: AWS::IAM::Role
            Properties: {AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}}
          Secret:
            Type: AWS::SecretsManager::Secret
            Properties: {Description: s}
          Sets:
            Type: AWS::CloudFormation::StackSet
            Properties: {StackSetName: s, PermissionModel: SERVICE_MANAGED, TemplateBody: x, StackInstancesGroup: [{Regions: [eu-west-1], DeploymentTargets: {OrganizationalUnitIds: [ou-aaaa-11111111]}}]}

        """

    @Test func everyRelaxationIsASecurityLine() throws {
        var head = Self.secureTemplate
        for (secure, relaxed) in [
            ("AuthorizationType: JWT, AuthorizerId: !Ref Auth", "AuthorizationType: NONE"),
            ("AllowOrigins: ['https://app.example.com'], AllowCredentials: false", "AllowOrigins: ['*'], AllowCredentials: true"),
            ("Issuer: 'https://issuer.example.com/'", "Issuer: 'https://other.example.com/'"),
            ("PubliclyAccessible: false, DeletionProtection: true", "PubliclyAccessible: true, DeletionProtection: false"),
            ("SSESpecification: {SSEEnabled: true}, DeletionProtectionEnabled: true", "SSESpecification: {SSEEnabled: false}, DeletionProtectionEnabled: false"),
            ("BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: 'aws:kms'}}]}\n      ", ""),
            ("BlockPublicPolicy: true", "BlockPublicPolicy: false"),
            ("Properties: {KmsMasterKeyId: alias/aws/sqs}", "Properties: {SqsManagedSseEnabled: false}"),
            ("Properties: {KmsMasterKeyId: alias/aws/sns}", "Properties: {}"),
            ("KmsKeyId: arn:aws:kms:eu-west-1:111111111111:key/abc, ", ""),
            ("AllowAdminCreateUserOnly: true", "AllowAdminCreateUserOnly: false"),
            ("MfaConfiguration: 'ON'", "MfaConfiguration: 'OFF'"),
            ("MinimumLength: 12", "MinimumLength: 6"),
            ("DeletionProtection: ACTIVE", "DeletionProtection: INACTIVE"),
            ("AuthType: AWS_IAM", "AuthType: NONE"),
            ("[ou-aaaa-11111111]", "[ou-aaaa-11111111, ou-bbbb-22222222]"),
        ] {
            #expect(head.contains(secure), "\(secure)")
            head = head.replacingOccurrences(of: secure, with: relaxed)
        }
        head += """
              Inline:
                Type: AWS::IAM::RolePolicy
                Properties: {RoleName: !Ref Role, PolicyName: p, PolicyDocument: {Statement: [{Effect: Allow, Action: 's3:*', Resource: '*'}]}}
              Managed:
                Type: AWS::IAM::ManagedPolicy
                Properties: {Roles: [!Ref Role], PolicyDocument: {Statement: [{Effect: Allow, Action: 'dynamodb:*', Resource: '*'}]}}
              SecretPolicy:
                Type: AWS::SecretsManager::ResourcePolicy
                Properties: {SecretId: !Ref Secret, ResourcePolicy: {Statement: [{Effect: Allow, Principal: {AWS: '222222222222'}, Action: 'secretsmanager:GetSecretValue', Resource: '*'}]}}
              LogPolicy:
                Type: AWS::Logs::ResourcePolicy
                Properties: {PolicyName: p, PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"es.amazonaws.com"},"Action":"logs:PutLogEvents","Resource":"*"}]}'}
              TopicPolicy:
                Type: AWS::SNS::TopicPolicy
                Properties: {Topics: [!Ref Topic], PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 'sns:Publish', Resource: '*'}]}}
              QueuePolicy:
                Type: AWS::SQS::QueuePolicy
                Properties: {Queues: [!Ref Queue], PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 'sqs:SendMessage', Resource: '*'}]}}

            """
        let pair = try pair(base: ["dev-App": Self.secureTemplate], head: ["dev-App": head])
        let lines = try #require(pair.stack("dev-App")).security.map { "\($0.direction.rawValue) \($0.fact)" }
        for expected in [
            "- route Route GET /orders: JWT authorizer !Ref Auth", "+ route Route GET /orders: public (AuthorizationType NONE)",
            "+ cors Api: origins [*] (any origin), with credentials",
            "- authorizer Auth: JWT issuer https://issuer.example.com/ audiences [api] identity [$request.header.Authorization]",
            "+ public access Db: publicly accessible (PubliclyAccessible true)", "- deletion protection Db: on", "+ deletion protection Db: off",
            "- encryption Table: KMS (AWS managed key)", "+ encryption Table: AWS owned key only (SSEEnabled off)", "+ deletion protection Table: off",
            "- encryption Bucket: aws:kms", "+ encryption Bucket: S3 default (SSE-S3)",
            "- public access Bucket: all blocked", "+ public access Bucket: not blocked: BlockPublicPolicy",
            "+ encryption Queue: off", "+ encryption Topic: off", "- encryption Logs: KMS arn:aws:kms:eu-west-1:111111111111:key/abc",
            "+ user pool Pool: self sign-up enabled", "+ user pool Pool: MFA OFF", "+ user pool Pool: password policy MinimumLength 6, RequireSymbols true",
            "+ deletion protection Pool: off", "+ function url Url for arn:aws:lambda:eu-west-1:111111111111:function:f: public (AuthType NONE)",
            "+ stackset Sets: deploys to organisational unit ou-bbbb-22222222 in [eu-west-1]",
            "+ iam Inline (on RoleName !Ref Role): Allow s3:* on *", "+ iam Managed (on Roles [!Ref Role]): Allow dynamodb:* on *",
            "+ resource policy SecretPolicy (on !Ref Secret): Allow principal {AWS: 222222222222} secretsmanager:GetSecretValue on *",
            "+ resource policy LogPolicy (p): Allow principal {Service: es.amazonaws.com} logs:PutLogEvents on *",
            "+ resource policy TopicPolicy (on [!Ref Topic]): Allow principal * sns:Publish on *",
            "+ resource policy QueuePolicy (on [!Ref Queue]): Allow principal * sqs:SendMessage on *",
        ] {
            #expect(lines.contains(expected), "\(expected) not in\n\(lines.joined(separator: "\n"))")
        }
        #expect(pair.diff.destructiveChanges.isEmpty)
        let json = DiffReport([pair.diff], colour: false).json()
        #expect(json.contains("\"direction\" : \"+\",\n") && json.contains("\"fact\" : \"route Route GET /orders: public (AuthorizationType NONE)\""))
        #expect(text(pair).contains("  [+] route Route GET /orders: public (AuthorizationType NONE)"))
        #expect(try check(pair).status == 0)

        // Turning RDS storage encryption off is a security line and a replacement.
        let encryption = try self.pair(base: ["dev-App": Self.secureTemplate],
                                       head: ["dev-App": Self.secureTemplate.replacingOccurrences(of: "StorageEncrypted: true", with: "StorageEncrypted: false")])
        #expect(encryption.stack("dev-App")?.security.map { "\($0.direction.rawValue) \($0.fact)" } == ["+ encryption Db: storage off", "- encryption Db: storage on"])
        #expect(encryption.resource("dev-App", "Db")?.action == .replace)
        #expect(try check(encryption).status == 1)
    }

    // MARK: 5. Updates CloudFormation will refuse, or that lose something quietly

    @Test func refusedAndLossyUpdatesAreWarningsThatGateCheck() throws {
        let base = """
            Resources:
              Key:
                Type: AWS::KMS::Key
                Properties: {KeySpec: SYMMETRIC_DEFAULT}
              Table:
                Type: AWS::DynamoDB::Table
                DeletionPolicy: Retain
                UpdateReplacePolicy: Retain
                Properties:
                  TableName: orders
                  BillingMode: PAY_PER_REQUEST
                  KeySchema: [{AttributeName: Id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: Id, AttributeType: S}, {AttributeName: Customer, AttributeType: S}]
                  GlobalSecondaryIndexes:
                  - {IndexName: ByCustomer, KeySchema: [{AttributeName: Customer, KeyType: HASH}], Projection: {ProjectionType: ALL}}
              Db:
                Type: AWS::RDS::DBInstance
                Properties: {Engine: postgres, DBInstanceClass: db.t4g.micro, AllocatedStorage: '100'}
              Pool:
                Type: AWS::Cognito::UserPool
                Properties: {UsernameAttributes: [email]}
              Logs:
                Type: AWS::Logs::LogGroup
                Properties: {RetentionInDays: 90}

            """
        let head = base
            .replacingOccurrences(of: "KeySpec: SYMMETRIC_DEFAULT", with: "KeySpec: RSA_2048")
            .replacingOccurrences(of: "KeySchema: [{AttributeName: Customer, KeyType: HASH}]", with: "KeySchema: [{AttributeName: Id, KeyType: HASH}]")
            .replacingOccurrences(of: "AllocatedStorage: '100'", with: "AllocatedStorage: '50'")
            .replacingOccurrences(of: "UsernameAttributes: [email]", with: "UsernameAttributes: [phone_number]")
            .replacingOccurrences(of: "RetentionInDays: 90", with: "RetentionInDays: 7")
        let pair = try pair(base: ["dev-App": base], head: ["dev-App": head])
        let warnings = try #require(pair.stack("dev-App")).warnings
        #expect(Set(warnings.map(\.logicalId)) == ["Key", "Table", "Db", "Pool", "Logs"])
        #expect(warnings.first { $0.logicalId == "Key" }?.message.hasPrefix("KeySpec SYMMETRIC_DEFAULT -> RSA_2048: CloudFormation refuses") == true)
        #expect(warnings.contains { $0.logicalId == "Table" && $0.message.hasPrefix("global secondary index ByCustomer changes its keys") })
        #expect(warnings.first { $0.logicalId == "Db" }?.message == "AllocatedStorage 100 -> 50 GiB: RDS storage cannot shrink; the update fails")
        #expect(warnings.first { $0.logicalId == "Logs" }?.kind == .quietLoss)
        #expect(pair.diff.destructiveChanges.isEmpty)
        #expect(pair.stack("dev-App")?.security.isEmpty == true)
        #expect(text(pair).contains("  Update warnings\n  [!] AWS::KMS::Key Key will be refused: KeySpec SYMMETRIC_DEFAULT -> RSA_2048"))
        #expect(DiffReport([pair.diff], colour: false).json().contains("\"kind\" : \"quiet-loss\""))
        let refused = try check(pair)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("AWS::Logs::LogGroup dev/dev-App/Logs loses data quietly: RetentionInDays 90 -> 7: events older than 7 days are deleted"))
        #expect(try check(pair, acknowledge: ["Key", "Table", "Db", "Pool", "Logs"].map { "dev/dev-App/\($0)" }).status == 0)

        // Two indexes added in one update, and a named table whose key changes.
        let twoIndexes = head
            .replacingOccurrences(of: "TableName: orders", with: "TableName: orders\n      KeySchema: [{AttributeName: Customer, KeyType: HASH}]")
            .replacingOccurrences(of: "      KeySchema: [{AttributeName: Id, KeyType: HASH}]\n      AttributeDefinitions", with: "      AttributeDefinitions")
            .replacingOccurrences(of: "  - {IndexName: ByCustomer, KeySchema: [{AttributeName: Id, KeyType: HASH}], Projection: {ProjectionType: ALL}}",
                                  with: "  - {IndexName: ByCustomer, KeySchema: [{AttributeName: Id, KeyType: HASH}], Projection: {ProjectionType: ALL}}\n      - {IndexName: A, KeySchema: [{AttributeName: Id, KeyType: HASH}], Projection: {ProjectionType: ALL}}\n      - {IndexName: B, KeySchema: [{AttributeName: Id, KeyType: HASH}], Projection: {ProjectionType: ALL}}")
        let more = try self.pair(base: ["dev-App": head], head: ["dev-App": twoIndexes])
        let table = try #require(more.resource("dev-App", "Table"))
        #expect(table.action == .replace && table.possibleDataLoss)
        #expect(table.dataLoss == "replaced: the old one is kept but orphaned: the new resource starts empty (UpdateReplacePolicy Retain)")
        let tableWarnings = more.stack("dev-App")?.warnings.map(\.message) ?? []
        #expect(tableWarnings.contains("the update adds A, B: DynamoDB creates or deletes one global secondary index per update; deploy one index change at a time"))
        #expect(tableWarnings.contains("TableName orders is fixed: the replacement cannot be created while the old resource holds the name; change the name or remove it"))
        #expect(try check(more).status == 1)
    }

    // MARK: 6. Readable list changes

    @Test func keyedListsMatchByKeyAndIgnoreOrder() throws {
        let base = """
            Resources:
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  KeySchema: [{AttributeName: Id, KeyType: HASH}]
                  AttributeDefinitions: [{AttributeName: Id, AttributeType: S}, {AttributeName: Customer, AttributeType: S}]
                  GlobalSecondaryIndexes:
                  - {IndexName: ByCustomer, KeySchema: [{AttributeName: Customer, KeyType: HASH}], Projection: {ProjectionType: ALL}}
                  Tags: [{Key: team, Value: shop}, {Key: cost, Value: c1}]

            """
        let reordered = base
            .replacingOccurrences(of: "[{AttributeName: Id, AttributeType: S}, {AttributeName: Customer, AttributeType: S}]", with: "[{AttributeName: Customer, AttributeType: S}, {AttributeName: Id, AttributeType: S}]")
            .replacingOccurrences(of: "[{Key: team, Value: shop}, {Key: cost, Value: c1}]", with: "[{Key: cost, Value: c1}, {Key: team, Value: shop}]")
        let same = try pair(base: ["dev-App": base], head: ["dev-App": reordered])
        #expect(same.diff.stacks.isEmpty, "\(text(same))")
        #expect(try check(same).status == 0)

        let added = reordered
            .replacingOccurrences(of: "{AttributeName: Customer, AttributeType: S}, ", with: "{AttributeName: Status, AttributeType: S}, {AttributeName: Customer, AttributeType: S}, ")
            .replacingOccurrences(of: "      Tags:", with: "      - {IndexName: ByStatus, KeySchema: [{AttributeName: Status, KeyType: HASH}], Projection: {ProjectionType: KEYS_ONLY}}\n      Tags:")
        let one = try pair(base: ["dev-App": base], head: ["dev-App": added])
        let table = try #require(one.resource("dev-App", "Table"))
        #expect(table.action == .update && !table.possibleDataLoss)
        #expect(table.changes.map(\.path) == ["AttributeDefinitions[Status]", "GlobalSecondaryIndexes[ByStatus]"])
        #expect(table.changes.allSatisfy { $0.old == nil })
        #expect(one.stack("dev-App")?.warnings.isEmpty == true)
        #expect(one.stack("dev-App")?.security.isEmpty == true)
        #expect(try check(one).status == 0)
    }

    // MARK: 7. Two folders

    @Test func diffAndCheckCompareTwoFoldersWithoutBuilding() throws {
        let pair = try pair(base: ["dev-App": "Resources:\n  Q: {Type: AWS::SQS::Queue}\n"], head: ["dev-App": "Resources:\n  R: {Type: AWS::SQS::Queue}\n"])
        // No Environments/ or Stacks/ in the root: nothing is synthesized.
        let diff = try Command.run(synth, ["diff", "dev", "--base", pair.base, "--head", pair.head, "--root", pair.directory.url.path], in: pair.directory.url)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("[-] AWS::SQS::Queue Q deletion (stateful: possible data loss) (renamed to R? a new logical id is a new resource)"))
        let json = try Command.run(synth, ["diff", "--base", pair.base, "--head", pair.head, "--format", "json"], in: pair.directory.url)
        #expect(json.stdout.contains("\"possibleDataLoss\" : true"))
        #expect(try check(pair).status == 1)

        let missing = try Command.run(synth, ["check", "--base", pair.base, "--head", "/nonexistent/out"], in: pair.directory.url)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("/nonexistent/out: error: --head /nonexistent/out is not a folder\n  hint: "), "\(missing.stderr)")
        #expect(missing.stdout.isEmpty)
        let alone = try Command.run(synth, ["check", "--head", pair.head], in: pair.directory.url)
        #expect(alone.status != 0)
        #expect(alone.stderr.contains("--head needs --base (or --base-ref): the folder to compare it with"))
        let unknown = try Command.run(synth, ["diff", "stg", "--base", pair.base, "--head", pair.head], in: pair.directory.url)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("error: environment 'stg' is in neither \(pair.base) nor \(pair.head)\n  hint: known there: dev"), "\(unknown.stderr)")
    }

    // MARK: 8. Where reviewers read it

    @Test func markdownPutsCountsFirstAndDataLossAndSecurityBeforeResources() throws {
        let pair = try pair { app, changed in
            let stack = Stack(in: app, "Work")
            Queue(in: stack, changed ? "Jobs" : "Tasks")
            let network = Vpc(in: stack, "Network")
            let group = SecurityGroup(in: stack, "Group", vpc: network, description: "workers")
            if changed { _ = group.addIngress(from: .ipv4("10.0.0.0/8"), port: .tcp(443), description: "office") }
        }
        let result = try Command.run(synth, ["diff", "--base", pair.base, "--head", pair.head, "--format", "markdown"], in: pair.directory.url)
        #expect(result.status == 0)
        let markdown = result.stdout
        let counts = DiffReport.counts([pair.diff])
        #expect(counts.dataAtRisk >= 1 && counts.securityLines >= 1)
        #expect(markdown.contains("| Environment | Stacks changed | Resources replaced | Resources deleted | Data at risk | Security lines | Update warnings |"))
        #expect(markdown.contains("| dev | \(counts.stacksChanged) | \(counts.resourcesReplaced) | \(counts.resourcesDeleted) | \(counts.dataAtRisk) | \(counts.securityLines) | \(counts.updateWarnings) |"))
        let loss = try #require(markdown.range(of: "**Possible data loss**"))
        let security = try #require(markdown.range(of: "**Security changes**"))
        let resources = try #require(markdown.range(of: "**Resources**"))
        #expect(loss.lowerBound < resources.lowerBound && security.lowerBound < resources.lowerBound)
        #expect(markdown.contains("| `Tasks` | AWS::SQS::Queue | deleted, with its messages and dead-letter messages |"))
        #expect(!markdown.contains("\u{1B}["))

        let workflow = try String(contentsOf: Repository.root.appendingPathComponent(".github/workflows/stratus.yml"), encoding: .utf8)
        #expect(workflow.contains("--format markdown") && workflow.contains("GITHUB_STEP_SUMMARY"))
    }
}
