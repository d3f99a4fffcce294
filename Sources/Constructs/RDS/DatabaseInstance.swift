import CloudFormation
import Synthesis

/// Where a database's data comes from when it is created.
public enum SnapshotSource: Sendable {
    /// An empty database.
    case none
    /// Restore this snapshot (identifier or ARN). Changing it later replaces the database.
    case identifier(String)
    /// A template parameter `<Id>Snapshot` (empty by default) that a person may set when the stack
    /// is first deployed; empty creates an empty database.
    case deployParameter
}

/// An RDS for PostgreSQL instance in a VPC's private subnets.
///
/// Emits `AWS::RDS::DBSubnetGroup`, `AWS::RDS::DBInstance` and its `AWS::EC2::SecurityGroup`.
/// Stateful: a final snapshot is taken on delete and on replacement (`DeletionPolicy: Snapshot`)
/// and deletion protection is on (`deletionProtection: false`). Secure by default: storage
/// encrypted, not publicly accessible, in isolated subnets, IAM database authentication on
/// (`iamAuthentication: false`), the master password generated and kept by RDS in Secrets
/// Manager (never in the template), no inbound traffic until `allowConnections(from:)`.
///
///     let db = DatabaseInstance(in: backend, "Database", vpc: vpc)
///     db.allowConnections(from: api)
///     db.grantConnect(to: api, user: "digidex")
public final class DatabaseInstance: Construct, Connectable {
    public static let postgresPort = 5432
    /// Seconds between enhanced monitoring samples.
    public static let monitoringInterval = 60

    public let vpc: Vpc
    public let subnetType: SubnetType
    public let iamAuthentication: Bool
    public let backupRetentionDays: Int
    public private(set) var resource: CfnResource!
    public private(set) var subnetGroup: CfnResource!
    /// The database's security group: no inbound traffic until `allowConnections(from:)`.
    public private(set) var securityGroup: SecurityGroup?

    /// - Parameters:
    ///   - subnets: The isolated subnets by default; public subnets are refused.
    ///   - engineVersion: PostgreSQL 17.6 by default (16.8 is deprecated for new instances).
    ///   - instanceClass: `db.t4g.micro` by default.
    ///   - allocatedStorage: Gigabytes of gp3 storage: 20 by default.
    ///   - databaseName: A database created with the instance; none by default.
    ///   - restore: An empty database by default.
    ///   - backupRetentionDays: 7 days of automated backups by default.
    ///   - multiAZ: A standby in a second availability zone that RDS fails over to; it doubles the
    ///     instance's cost, so it is on in production (`tier: production`) and off elsewhere.
    ///   - enhancedMonitoring: OS metrics every 60 seconds through an `AWS::IAM::Role` for RDS
    ///     monitoring (CloudWatch Logs charges for the metrics); on in production, off elsewhere.
    ///
    /// Where either is off, the template's metadata says so for checkov (CKV_AWS_157, CKV_AWS_118).
    @discardableResult
    public init(
        in scope: Construct, _ id: String, vpc: Vpc, subnets: SubnetType = .isolated, engineVersion: String = "17.6",
        instanceClass: String = "db.t4g.micro", allocatedStorage: Int = 20, databaseName: String? = nil,
        masterUsername: String = "postgres", iamAuthentication: Bool = true, restore: SnapshotSource = .none,
        backupRetentionDays: Int = 7, deletionProtection: Bool = true, multiAZ: Bool? = nil, enhancedMonitoring: Bool? = nil,
        removalPolicy: RemovalPolicy = .snapshot, file: String = #fileID, line: Int = #line
    ) {
        self.vpc = vpc
        self.subnetType = subnets
        self.iamAuthentication = iamAuthentication
        self.backupRetentionDays = backupRetentionDays
        super.init(in: scope, id, file: file, line: line)
        let multiAZ = multiAZ ?? app.environment.isProduction
        let monitoring = enhancedMonitoring ?? app.environment.isProduction
        subnetGroup = CfnResource(
            in: self, "SubnetGroup", type: "AWS::RDS::DBSubnetGroup",
            properties: [
                "DBSubnetGroupDescription": .string("Subnets of database \(relativePath)"),
                "SubnetIds": .list(vpc.subnets(subnets).map(\.subnetId)),
            ], file: file, line: line)
        let group = SecurityGroup(in: self, "SecurityGroup", vpc: vpc, description: "PostgreSQL database \(id)", file: file, line: line)
        securityGroup = group

        var properties: Object = [
            "Engine": "postgres",
            "EngineVersion": .string(engineVersion),
            "DBInstanceClass": .string(instanceClass),
            "AllocatedStorage": .string(String(allocatedStorage)),
            "StorageType": "gp3",
            "StorageEncrypted": true,
            "PubliclyAccessible": false,
            "EnableIAMDatabaseAuthentication": .bool(iamAuthentication),
            "DBSubnetGroupName": subnetGroup.ref("Name"),
            "VPCSecurityGroups": [group.groupId],
            "Port": .string(String(Self.postgresPort)),
            "MultiAZ": .bool(multiAZ),
            "BackupRetentionPeriod": .int(backupRetentionDays),
            "CopyTagsToSnapshot": true,
            "DeletionProtection": .bool(deletionProtection),
            "AutoMinorVersionUpgrade": true,
        ]
        // A restored database takes its master user and databases from the snapshot.
        switch restore {
        case .none:
            properties["MasterUsername"] = .string(masterUsername)
            properties["ManageMasterUserPassword"] = true
            if let databaseName { properties["DBName"] = .string(databaseName) }
        case .identifier(let snapshot):
            properties["DBSnapshotIdentifier"] = .string(snapshot)
        case .deployParameter:
            if let stack {
                let name = LogicalIds.pascalCase(id) + "Snapshot"
                let snapshot = stack.addParameter(name, Parameter(
                    type: .string, description: "Snapshot to restore \(id) from when the stack is first deployed; empty for an empty database. Changing it later replaces the database.",
                    defaultValue: ""))
                let restoring = stack.addCondition("\(name)Given", .not(.equals(snapshot, "")))
                properties["DBSnapshotIdentifier"] = .if(restoring, snapshot, .noValue)
                properties["MasterUsername"] = .if(restoring, .noValue, .string(masterUsername))
                properties["ManageMasterUserPassword"] = .if(restoring, .noValue, true)
                if let databaseName { properties["DBName"] = .if(restoring, .noValue, .string(databaseName)) }
            }
        }
        if monitoring {
            let role = Role(
                in: self, "MonitoringRole", assumedBy: "monitoring.rds.amazonaws.com",
                managedPolicyArns: [Role.awsManagedPolicy("service-role/AmazonRDSEnhancedMonitoringRole")],
                description: "RDS enhanced monitoring of \(relativePath)", file: file, line: line)
            properties["MonitoringInterval"] = .int(Self.monitoringInterval)
            properties["MonitoringRoleArn"] = role.arn
        }
        let resource = CfnResource(in: self, type: "AWS::RDS::DBInstance", properties: properties, file: file, line: line)
        self.resource = resource
        removalPolicy.apply(to: resource)
        if multiAZ {
            resource.enabled("CKV_AWS_157", because: "A standby in a second availability zone (twice the instance cost), because the environment is production (tier: production).")
        } else {
            resource.justify("CKV_AWS_157", because: "Single availability zone: a standby doubles the instance's cost, so multi-AZ is on only in production (tier: production) and off here to save cost; backups and the final snapshot still protect the data. Pass multiAZ: true to add one.")
        }
        if monitoring {
            resource.enabled("CKV_AWS_118", because: "Enhanced monitoring every \(Self.monitoringInterval) seconds (billed as CloudWatch Logs), because the environment is production (tier: production).")
        } else {
            resource.justify("CKV_AWS_118", because: "No enhanced monitoring: its OS metrics are billed as CloudWatch Logs, so it is on only in production (tier: production) and off here to save cost; the basic CloudWatch metrics remain. Pass enhancedMonitoring: true to turn it on.")
        }
    }

    public var endpointAddress: Value { resource.attribute("Endpoint.Address") }
    public var endpointPort: Value { resource.attribute("Endpoint.Port") }
    /// The instance's resource id (`db-ABC...`), which IAM database authentication names.
    public var resourceId: Value { resource.attribute("DbiResourceId") }

    /// Opens the database port to `other`'s security group (and only to it).
    public func allowConnections(from other: any Connectable, file: String = #fileID, line: Int = #line) {
        allowConnections(from: other, port: .tcp(Self.postgresPort), file: file, line: line)
    }

    /// Allows `grantee` to log in as database user `user` with an IAM authentication token:
    /// `rds-db:connect` on `arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`.
    @discardableResult
    public func grantConnect(to grantee: any Grantable, user: String, file: String = #fileID, line: Int = #line) -> Grant {
        if !iamAuthentication {
            grantee.report(Diagnostic(
                "\(grantee.path): grantConnect on \(path) needs IAM database authentication, which is off for this database",
                at: SourceLocation(file: file, line: line), hint: "create the database with iamAuthentication: true (the default)"))
        }
        if user.isEmpty || !user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            grantee.report(Diagnostic(
                "\(grantee.path): database user '\(user)' must be letters, digits and '_'", at: SourceLocation(file: file, line: line),
                hint: "use the PostgreSQL role name, e.g. digidex"))
        }
        let arn = Value.sub("arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${ResourceId}/\(user)", ["ResourceId": resourceId])
        return Grants.add(PolicyStatement(actions: RDSPermissions.connect, resources: [arn]), on: self, to: grantee, verb: "grantConnect", file: file, line: line)
    }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if subnetType == .public {
            problems.append(.construct(self, "database is placed in public subnets", hint: "keep databases in isolated subnets (the default) and connect from functions in the VPC"))
        }
        if vpc.subnets(subnetType).count < 2 {
            problems.append(.construct(self, "RDS needs subnets in at least two availability zones; \(vpc.path) has \(vpc.subnets(subnetType).count)", hint: "give the VPC availabilityZones: 2 or more"))
        }
        if !(0...35).contains(backupRetentionDays) {
            problems.append(.construct(self, "backup retention must be 0 to 35 days", hint: "7 is the default"))
        }
        return problems
    }
}
