import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

/// The checkov metadata each construct writes, and the choices that depend on the environment's tier.
@Suite struct SecurityDecisionTests {
    static let production = Fixtures.environment("prd", account: "800000000002", tier: .production)

    /// The checks skipped on `logicalId`, from its template's `Metadata.checkov.skip`.
    static func skipped(_ app: SynthesizedApp, _ stackName: String, _ logicalId: String) -> [String: String] {
        guard let resource = app.stack(named: stackName)?.template.resources.first(where: { $0.logicalId == logicalId })?.resource,
              case .object(let checkov)? = resource.metadata?["checkov"], case .list(let skips)? = checkov["skip"]
        else { return [:] }
        var result: [String: String] = [:]
        for case .object(let skip) in skips {
            if case .string(let id)? = skip["id"], case .string(let comment)? = skip["comment"] { result[id] = comment }
        }
        return result
    }

    static func properties(_ app: SynthesizedApp, _ stackName: String, _ logicalId: String) -> Object {
        app.stack(named: stackName)?.template.resources.first(where: { $0.logicalId == logicalId })?.resource.properties ?? Object()
    }

    @Test func functionMetadataIsCheckovsSkipListWithReasons() throws {
        let app = try Fixtures.synthesize { app in
            Function(in: Stack(in: app, "Test"), "Handler", handler: "a.b", code: .inline("x"), environment: ["TABLE": "t"])
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_117
                      comment: 'Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.'
                    - id: CKV_AWS_115
            """), "\(yaml)")
        let skips = Self.skipped(app, "dev-Test", "Handler")
        #expect(Set(skips.keys) == ["CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173"])
        #expect(skips["CKV_AWS_173"]?.contains("only in production (tier: production)") == true)
        #expect(Self.skipped(app, "dev-Test", "HandlerLogs").keys.sorted() == ["CKV_AWS_158"])
        // The plan's record of the same decisions.
        let records = app.stack(named: "dev-Test")?.securityDecisions ?? []
        #expect(records.contains { $0.logicalId == "Handler" && $0.check == "CKV_AWS_117" && $0.decision == .justified })
    }

    @Test func aSecureOptionTurnedOnWithdrawsItsJustification() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let vpc = Vpc(in: stack, "Network", cidr: "10.0.0.0/16")
            let queue = Queue(in: stack, "Failures")
            Function(
                in: stack, "Handler", handler: "a.b", code: .inline("x"), reservedConcurrency: 5, vpc: vpc, deadLetterQueue: queue,
                customerManagedKey: true)
        }
        #expect(Self.skipped(app, "dev-Test", "Handler").isEmpty)
        let properties = Self.properties(app, "dev-Test", "Handler")
        #expect(properties["DeadLetterConfig"] != nil)
        #expect(properties["ReservedConcurrentExecutions"] == .int(5))
        // No environment variables, so no key for them.
        #expect(properties["KmsKeyArn"] == nil)
        #expect(Self.properties(app, "dev-Test", "HandlerLogs")["KmsKeyId"] != nil)
        #expect(Self.skipped(app, "dev-Test", "HandlerLogs").isEmpty)
    }

    @Test func productionUsesOneCustomerManagedKeyPerStack() throws {
        let app = try Fixtures.synthesize(Self.production) { app in
            let stack = Stack(in: app, "Test")
            let table = Table(in: stack, "Items", partitionKey: .string("Id"))
            let function = Function(in: stack, "Handler", handler: "a.b", code: .inline("x"), environment: ["TABLE": table.name])
            table.grantRead(to: function)
        }
        let template = app.stack(named: "prd-Test")!.template
        #expect(template.resources.filter { $0.resource.type == "AWS::KMS::Key" }.map(\.logicalId) == ["EncryptionKey"])
        #expect(Self.properties(app, "prd-Test", "Handler")["KmsKeyArn"] == .getAtt("EncryptionKey", "Arn"))
        #expect(Self.properties(app, "prd-Test", "HandlerLogs")["KmsKeyId"] == .getAtt("EncryptionKey", "Arn"))
        #expect(Self.properties(app, "prd-Test", "Items")["SSESpecification"] == ["KMSMasterKeyId": .getAtt("EncryptionKey", "Arn"), "SSEEnabled": true, "SSEType": "KMS"])
        for logicalId in ["Handler", "HandlerLogs", "Items"] {
            #expect(Self.skipped(app, "prd-Test", logicalId)["CKV_AWS_173"] == nil)
            #expect(Self.skipped(app, "prd-Test", logicalId)["CKV_AWS_158"] == nil)
            #expect(Self.skipped(app, "prd-Test", logicalId)["CKV_AWS_119"] == nil)
        }
        let yaml = Fixtures.yaml(app, "prd-Test")
        // The function may decrypt its variables and read the table's items.
        #expect(yaml.contains("            - kms:Decrypt\n            - kms:DescribeKey\n            Resource: !GetAtt EncryptionKey.Arn\n"), "\(yaml)")
        // CloudWatch Logs may use the key for log groups of this account and region only.
        #expect(yaml.contains("kms:EncryptionContext:aws:logs:arn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*"), "\(yaml)")
        let records = app.stack(named: "prd-Test")!.securityDecisions
        #expect(records.contains { $0.logicalId == "Items" && $0.check == "CKV_AWS_119" && $0.decision == .enabled })
    }

    @Test func databaseCostsFollowTheTier() throws {
        func database(_ environment: Environment) throws -> SynthesizedApp {
            try Fixtures.synthesize(environment) { app in
                let stack = Stack(in: app, "Data")
                DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network", cidr: "10.0.0.0/16", availabilityZones: 2))
            }
        }
        let development = try database(Fixtures.environment())
        #expect(Self.properties(development, "dev-Data", "Db")["MultiAZ"] == false)
        #expect(Self.properties(development, "dev-Data", "Db")["MonitoringInterval"] == nil)
        let skips = Self.skipped(development, "dev-Data", "Db")
        #expect(skips["CKV_AWS_157"]?.contains("off here to save cost") == true)
        #expect(skips["CKV_AWS_118"]?.contains("off here to save cost") == true)

        let production = try database(Self.production)
        #expect(Self.properties(production, "prd-Data", "Db")["MultiAZ"] == true)
        #expect(Self.properties(production, "prd-Data", "Db")["MonitoringInterval"] == .int(60))
        #expect(Self.properties(production, "prd-Data", "Db")["MonitoringRoleArn"] == .getAtt("DbMonitoringRole", "Arn"))
        #expect(Self.skipped(production, "prd-Data", "Db")["CKV_AWS_157"] == nil)
        #expect(Self.skipped(production, "prd-Data", "Db")["CKV_AWS_118"] == nil)
    }

    @Test func distributionLogsIntoTheStacksLogBucketAndHasAWebACLInProduction() throws {
        func distribution(_ environment: Environment) throws -> SynthesizedApp {
            try Fixtures.synthesize(environment) { app in
                let stack = Stack(in: app, "Site", region: "us-east-1")
                Distribution(in: stack, "Cdn", origin: .bucket(Bucket(in: stack, "Content")))
            }
        }
        let development = try distribution(Fixtures.environment())
        let config = Self.properties(development, "dev-Site", "Cdn")["DistributionConfig"]
        guard case .object(let plain)? = config else { Issue.record("no DistributionConfig"); return }
        #expect(plain["Logging"] == ["Bucket": .getAtt("AccessLogs", "DomainName"), "IncludeCookies": false, "Prefix": "Cdn/"])
        #expect(plain["WebACLId"] == nil)
        #expect(Self.properties(development, "dev-Site", "Content")["LoggingConfiguration"] == ["DestinationBucketName": .ref("AccessLogs"), "LogFilePrefix": "Content/"])
        #expect(Self.skipped(development, "dev-Site", "Cdn").keys.sorted() == ["CKV_AWS_174", "CKV_AWS_68"])
        #expect(Self.skipped(development, "dev-Site", "AccessLogs").keys.sorted() == ["CKV_AWS_18"])
        #expect(Self.skipped(development, "dev-Site", "Content").isEmpty)

        let production = try distribution(Self.production)
        guard case .object(let secured)? = Self.properties(production, "prd-Site", "Cdn")["DistributionConfig"] else { Issue.record("no DistributionConfig"); return }
        #expect(secured["WebACLId"] == .getAtt("CdnWebAcl", "Arn"))
        #expect(Self.properties(production, "prd-Site", "CdnWebAcl")["Scope"] == "CLOUDFRONT")
        #expect(Self.skipped(production, "prd-Site", "Cdn").keys.sorted() == ["CKV_AWS_174"])
    }

    @Test func queuesUseTheKeyScannersRecognise() throws {
        let app = try Fixtures.synthesize { app in Queue(in: Stack(in: app, "Test"), "Work") }
        #expect(Self.properties(app, "dev-Test", "Work")["KmsMasterKeyId"] == "alias/aws/sqs")
        #expect(Self.properties(app, "dev-Test", "WorkDeadLetters")["KmsMasterKeyId"] == "alias/aws/sqs")
        #expect(Self.properties(app, "dev-Test", "Work")["SqsManagedSseEnabled"] == nil)
    }

    @Test func wildcardCertificatesSayWhy() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Dns")
            let zone = HostedZone(in: stack, "Zone", name: "dev.example.com")
            Certificate(in: stack, "Wildcard", domainName: "*.dev.example.com", zone: zone)
            Certificate(in: stack, "Exact", domainName: "api.dev.example.com", zone: zone)
        }
        #expect(Self.skipped(app, "dev-Dns", "Wildcard")["CKV2_AWS_71"]?.contains("*.dev.example.com") == true)
        #expect(Self.skipped(app, "dev-Dns", "Exact").isEmpty)
    }

    @Test func aJustificationShorterThanASentenceIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let resource = CfnResource(in: Stack(in: app, "Test"), "Thing", type: "AWS::SQS::Queue")
            resource.justify("CKV_AWS_27", because: "not needed")
        }
        #expect(diagnostics.map(\.description).contains { $0.contains("error: dev/Test/Thing: the justification of CKV_AWS_27 on AWS::SQS::Queue is not a sentence ('not needed')") })
    }
}
