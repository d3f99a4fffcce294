/// The resource types that hold data or identity, so that replacing or deleting one can lose
/// something a redeploy cannot bring back. This is the one list the diff and `synth check` use.
///
/// Each entry says what is lost and where that comes from. "Replacement" below means what the
/// CloudFormation user guide says for a property marked "Update requires: Replacement":
/// CloudFormation creates a new, empty resource and then deletes the old one
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html).
/// The core of the list is the set of types aws-cdk-lib retains by default
/// (`RemovalPolicy.RETAIN` on Table, Bucket, UserPool, Key, LogGroup, FileSystem, Secret,
/// Repository, Stream, and snapshots for DatabaseInstance/DatabaseCluster), widened with the
/// services the AWS documentation cited per entry describes as holding data.
public enum StatefulResources {
    public struct Entry: Sendable {
        public let type: String
        /// What a replacement or deletion loses, as a noun phrase: "its items".
        public let loses: String
        /// Where the fact comes from.
        public let source: String
        /// Some types hold data only in some configurations (a topic with subscriptions, a
        /// Redis cache); nil means always.
        let when: (@Sendable (_ logicalId: String, _ resource: Document, _ template: Document?) -> Bool)?

        init(_ type: String, loses: String, source: String,
             when: (@Sendable (_ logicalId: String, _ resource: Document, _ template: Document?) -> Bool)? = nil) {
            self.type = type
            self.loses = loses
            self.source = source
            self.when = when
        }
    }

    private static let guide = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"

    public static let entries: [Entry] = [
        Entry("AWS::DynamoDB::Table", loses: "its items", source: guide + "aws-resource-dynamodb-table.html (a new table starts empty; CDK retains tables)"),
        Entry("AWS::DynamoDB::GlobalTable", loses: "its items in every replica", source: guide + "aws-resource-dynamodb-globaltable.html"),
        Entry("AWS::RDS::DBInstance", loses: "its databases", source: guide + "aws-resource-rds-dbinstance.html (default DeletionPolicy Snapshot)"),
        Entry("AWS::RDS::DBCluster", loses: "its databases (Aurora)", source: guide + "aws-resource-rds-dbcluster.html (default DeletionPolicy Snapshot)"),
        Entry("AWS::DocDB::DBCluster", loses: "its databases", source: guide + "aws-resource-docdb-dbcluster.html"),
        Entry("AWS::Neptune::DBCluster", loses: "its graph", source: guide + "aws-resource-neptune-dbcluster.html"),
        Entry("AWS::Redshift::Cluster", loses: "its warehouse", source: guide + "aws-resource-redshift-cluster.html"),
        Entry("AWS::S3::Bucket", loses: "its objects", source: guide + "aws-resource-s3-bucket.html (CDK retains buckets)"),
        Entry("AWS::EFS::FileSystem", loses: "its files", source: guide + "aws-resource-efs-filesystem.html (CDK retains file systems)"),
        Entry("AWS::FSx::FileSystem", loses: "its files", source: guide + "aws-resource-fsx-filesystem.html"),
        Entry("AWS::FSx::Volume", loses: "its files", source: guide + "aws-resource-fsx-volume.html"),
        Entry("AWS::Kinesis::Stream", loses: "the records it still retains", source: guide + "aws-resource-kinesis-stream.html (CDK retains streams)"),
        Entry("AWS::SQS::Queue", loses: "its messages and dead-letter messages", source: guide + "aws-resource-sqs-queue.html (a new queue starts empty)"),
        Entry("AWS::SNS::Topic", loses: "its subscriptions (confirmed endpoints must confirm again)",
              source: guide + "aws-resource-sns-topic.html (only a topic with subscriptions holds state)",
              when: { id, resource, template in
                  !(resource["Properties"]?["Subscription"]?.items ?? []).isEmpty
                      || (template?["Resources"]?.entries ?? []).contains { entry in
                          entry.value["Type"]?.text == "AWS::SNS::Subscription"
                              && References.ids(in: entry.value["Properties"]?["TopicArn"]).contains(id)
                      }
              }),
        Entry("AWS::ECR::Repository", loses: "its images", source: guide + "aws-resource-ecr-repository.html (CDK retains repositories)"),
        Entry("AWS::SecretsManager::Secret", loses: "its secret value and versions", source: guide + "aws-resource-secretsmanager-secret.html (CDK retains secrets)"),
        Entry("AWS::KMS::Key", loses: "the ability to decrypt what it encrypted", source: guide + "aws-resource-kms-key.html (a deleted key cannot decrypt; CDK retains keys)"),
        Entry("AWS::Cognito::UserPool", loses: "its users and their passwords", source: guide + "aws-resource-cognito-userpool.html (CDK retains user pools)"),
        Entry("AWS::Route53::HostedZone", loses: "records made outside the template and its name servers (delegations break)",
              source: guide + "aws-resource-route53-hostedzone.html (a new zone gets new name servers)"),
        Entry("AWS::Logs::LogGroup", loses: "its log events", source: guide + "aws-resource-logs-loggroup.html (CDK retains log groups)"),
        Entry("AWS::OpenSearchService::Domain", loses: "its indexes", source: guide + "aws-resource-opensearchservice-domain.html"),
        Entry("AWS::Elasticsearch::Domain", loses: "its indexes", source: guide + "aws-resource-elasticsearch-domain.html"),
        Entry("AWS::ElastiCache::ReplicationGroup", loses: "its cached data and snapshots' source", source: guide + "aws-resource-elasticache-replicationgroup.html (Redis/Valkey with persistence)"),
        Entry("AWS::ElastiCache::CacheCluster", loses: "its data", source: guide + "aws-resource-elasticache-cachecluster.html (Redis/Valkey; memcached holds no persistent data)",
              when: { _, resource, _ in persistentEngine(resource["Properties"]?["Engine"]) }),
        Entry("AWS::ElastiCache::ServerlessCache", loses: "its data", source: guide + "aws-resource-elasticache-serverlesscache.html (Redis/Valkey)",
              when: { _, resource, _ in persistentEngine(resource["Properties"]?["Engine"]) }),
        Entry("AWS::MemoryDB::Cluster", loses: "its data", source: guide + "aws-resource-memorydb-cluster.html"),
        Entry("AWS::Backup::BackupVault", loses: "its recovery points", source: guide + "aws-resource-backup-backupvault.html"),
    ]

    private static let byType = Dictionary(uniqueKeysWithValues: entries.map { ($0.type, $0) })

    private static func persistentEngine(_ engine: Document?) -> Bool {
        guard let text = engine?.text?.lowercased() else { return true }  // behind an intrinsic: assume data
        return text != "memcached"
    }

    /// The entry for `resource` (logical id `logicalId` in `template`) when it holds data.
    public static func entry(logicalId: String, resource: Document?, template: Document?) -> Entry? {
        guard let resource, let type = resource["Type"]?.text, let entry = byType[type] else { return nil }
        if let when = entry.when, !when(logicalId, resource, template) { return nil }
        return entry
    }

    /// True when `type` is on the list at all (whatever its configuration).
    public static func listed(_ type: String) -> Bool { byType[type] != nil }
}
