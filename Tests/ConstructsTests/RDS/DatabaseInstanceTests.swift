import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct DatabaseInstanceTests {
    @Test func secureDefaults() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network"), databaseName: "digidex")
        }
        #expect(Fixtures.yaml(app, "dev-Test").contains("""
              Db:
                Type: AWS::RDS::DBInstance
                Properties:
                  Engine: postgres
                  EngineVersion: '17.6'
                  DBInstanceClass: db.t4g.micro
                  AllocatedStorage: '20'
                  StorageType: gp3
                  StorageEncrypted: true
                  PubliclyAccessible: false
                  EnableIAMDatabaseAuthentication: true
                  DBSubnetGroupName: !Ref DbSubnetGroup
                  VPCSecurityGroups:
                  - !GetAtt DbSecurityGroup.GroupId
                  Port: '5432'
                  MultiAZ: false
                  BackupRetentionPeriod: 7
                  CopyTagsToSnapshot: true
                  DeletionProtection: true
                  AutoMinorVersionUpgrade: true
                  MasterUsername: postgres
                  ManageMasterUserPassword: true
                  DBName: digidex
                Metadata:
                  checkov:
                    skip:
                    - id: CKV_AWS_157
                      comment: 'Single availability zone: a standby doubles the instance''s cost, so multi-AZ is on only in production (tier: production) and off here to save cost; backups and the final snapshot still protect the data. Pass multiAZ: true to add one.'
                    - id: CKV_AWS_118
                      comment: 'No enhanced monitoring: its OS metrics are billed as CloudWatch Logs, so it is on only in production (tier: production) and off here to save cost; the basic CloudWatch metrics remain. Pass enhancedMonitoring: true to turn it on.'
                DeletionPolicy: Snapshot
                UpdateReplacePolicy: Snapshot
            """))
        #expect(!Fixtures.yaml(app, "dev-Test").contains(" MasterUserPassword:"))
    }

    @Test func grantConnectNamesTheRealResourceId() throws {
        var grant: Grant?
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            let vpc = Vpc(in: stack, "Network")
            let database = DatabaseInstance(in: stack, "Db", vpc: vpc)
            grant = database.grantConnect(to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x"), vpc: vpc), user: "digidex")
        }
        #expect(grant?.statement.actions == ["rds-db:connect"])
        #expect(Fixtures.yaml(app, "dev-Test").contains("""
                      - Effect: Allow
                        Action: rds-db:connect
                        Resource: !Sub arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${Db.DbiResourceId}/digidex
            """))
    }

    @Test func restoreFromAnOptionalSnapshotParameter() throws {
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Test")
            DatabaseInstance(in: stack, "Db", vpc: Vpc(in: stack, "Network"), restore: .deployParameter)
        }
        let yaml = Fixtures.yaml(app, "dev-Test")
        #expect(yaml.contains("""
            Parameters:
              DbSnapshot:
                Type: String
                Description: Snapshot to restore Db from when the stack is first deployed; empty for an empty database. Changing it later replaces the database.
                Default: ''
            Conditions:
              DbSnapshotGiven: !Not [!Equals [!Ref DbSnapshot, '']]
            """))
        #expect(yaml.contains("""
                  DBSnapshotIdentifier: !If
                  - DbSnapshotGiven
                  - !Ref DbSnapshot
                  - !Ref AWS::NoValue
            """))
        // The plan passes no value: the default (empty) applies.
        #expect(app.stack(named: "dev-Test")?.inputs.isEmpty == true)
    }

    @Test func databaseInPublicSubnetsIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let vpc = Vpc(in: stack, "Network", subnets: [SubnetGroup(name: "Public", type: .public)])
            DatabaseInstance(in: stack, "Db", vpc: vpc, subnets: .public)
        }
        #expect(diagnostics.map(\.message) == ["dev/Test/Db: database is placed in public subnets"])
        #expect(diagnostics.first?.hint == "keep databases in isolated subnets (the default) and connect from functions in the VPC")
    }

    @Test func grantConnectWithoutIAMAuthenticationIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let vpc = Vpc(in: stack, "Network")
            let database = DatabaseInstance(in: stack, "Db", vpc: vpc, iamAuthentication: false)
            database.grantConnect(to: Function(in: stack, "Fn", handler: "a.b", code: .inline("x"), vpc: vpc), user: "digidex", line: 6000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/DatabaseInstanceTests.swift:6000: error: dev/Test/Fn: grantConnect on dev/Test/Db needs IAM database authentication, which is off for this database
              hint: create the database with iamAuthentication: true (the default)
            """])
    }
}
