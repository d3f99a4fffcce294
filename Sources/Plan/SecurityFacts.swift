import Foundation

/// The security-relevant lines of a template, in the manner of `cdk diff`'s security section:
/// IAM statements (roles, inline and managed policies), trust policies, security-group rules,
/// resource policies (buckets, keys, topics, queues, secrets, log groups, repositories, Lambda
/// permissions), route authorization and authorizers, CORS, function URLs, public access
/// (RDS `PubliclyAccessible`, S3 public-access blocks), encryption at rest, deletion protection,
/// Cognito sign-up, MFA and password policy, and StackSet targets and overrides. Each fact is one
/// line describing a state; a diff of two templates lists the lines added and removed, so a
/// setting turned off reads as `- encryption X: on` and `+ encryption X: off`.
public enum SecurityFacts {
    public static func facts(in template: Document?) -> [String] {
        guard let resources = template?["Resources"]?.entries else { return [] }
        var facts: [String] = []
        for entry in resources {
            let id = entry.key
            let properties = entry.value["Properties"]
            switch entry.value["Type"]?.text ?? "" {
            case "AWS::IAM::Role":
                for statement in properties?["AssumeRolePolicyDocument"]?["Statement"]?.items ?? [] {
                    facts.append("trust \(id): \(describe(statement))")
                }
                for policy in properties?["Policies"]?.items ?? [] {
                    for statement in policy["PolicyDocument"]?["Statement"]?.items ?? [] {
                        facts.append("iam \(id): \(describe(statement))")
                    }
                }
                for arn in properties?["ManagedPolicyArns"]?.items ?? [] {
                    facts.append("iam \(id): managed policy \(arn)")
                }
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy":
                let holders = ["Roles", "Users", "Groups", "RoleName", "UserName", "GroupName"].compactMap { key in
                    properties?[key].map { "\(key) \($0)" }
                }
                let on = holders.isEmpty ? "" : " (on \(holders.joined(separator: ", ")))"
                for statement in statements(properties?["PolicyDocument"]) {
                    facts.append("iam \(id)\(on): \(describe(statement))")
                }
            case "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::SNS::TopicInlinePolicy", "AWS::SQS::QueueInlinePolicy":
                let target = properties?["Bucket"] ?? properties?["Topics"] ?? properties?["TopicArn"] ?? properties?["Queues"] ?? properties?["Queue"]
                let on = target.map { " (on \($0))" } ?? ""
                for statement in statements(properties?["PolicyDocument"]) {
                    facts.append("resource policy \(id)\(on): \(describe(statement))")
                }
            case "AWS::SecretsManager::ResourcePolicy":
                for statement in statements(properties?["ResourcePolicy"]) {
                    facts.append("resource policy \(id) (on \(properties?["SecretId"]?.description ?? "?")): \(describe(statement))")
                }
                if properties?["BlockPublicPolicy"]?.text == "false" { facts.append("resource policy \(id): public policies not blocked") }
            case "AWS::Logs::ResourcePolicy":
                for statement in statements(properties?["PolicyDocument"]) {
                    facts.append("resource policy \(id) (\(properties?["PolicyName"]?.description ?? "?")): \(describe(statement))")
                }
            case "AWS::ECR::Repository":
                for statement in statements(properties?["RepositoryPolicyText"]) {
                    facts.append("resource policy \(id): \(describe(statement))")
                }
                facts.append("encryption \(id): \(properties?["EncryptionConfiguration"].map { "\($0)" } ?? "AES256 (default)")")
            case "AWS::KMS::Key":
                for statement in statements(properties?["KeyPolicy"]) {
                    facts.append("key policy \(id): \(describe(statement))")
                }
                if properties?["EnableKeyRotation"] != nil { facts.append("key rotation \(id): \(onOff(properties?["EnableKeyRotation"]))") }
            case "AWS::EC2::SecurityGroup":
                for rule in properties?["SecurityGroupIngress"]?.items ?? [] { facts.append("ingress \(id): \(describeRule(rule))") }
                for rule in properties?["SecurityGroupEgress"]?.items ?? [] { facts.append("egress \(id): \(describeRule(rule))") }
            case "AWS::EC2::SecurityGroupIngress":
                facts.append("ingress \(properties?["GroupId"]?.description ?? id): \(describeRule(properties))")
            case "AWS::EC2::SecurityGroupEgress":
                facts.append("egress \(properties?["GroupId"]?.description ?? id): \(describeRule(properties))")
            case "AWS::Lambda::Permission":
                let source = properties?["SourceArn"].map { " from \($0)" } ?? ""
                facts.append("lambda permission \(id): \(properties?["Principal"]?.description ?? "?") may \(properties?["Action"]?.description ?? "?") \(properties?["FunctionName"]?.description ?? "?")\(source)")
            case "AWS::CloudFormation::StackSet":
                for group in properties?["StackInstancesGroup"]?.items ?? [] {
                    let targets = group["DeploymentTargets"]
                    let regions = group["Regions"]?.description ?? "?"
                    for unit in targets?["OrganizationalUnitIds"]?.items ?? [] {
                        facts.append("stackset \(id): deploys to organisational unit \(unit) in \(regions)\(filter(targets))")
                    }
                    if targets?["OrganizationalUnitIds"] == nil {
                        for account in targets?["Accounts"]?.items ?? [] {
                            facts.append("stackset \(id): deploys to account \(account) in \(regions)")
                        }
                    }
                    for parameter in group["ParameterOverrides"]?.items ?? [] {
                        let accounts = targets?["Accounts"]?.description ?? "all targets"
                        facts.append("stackset \(id): \(parameter["ParameterKey"]?.description ?? "?")=\(parameter["ParameterValue"]?.description ?? "") for \(accounts)")
                    }
                }
            case "AWS::ApiGatewayV2::Route":
                let route = properties?["RouteKey"]?.description ?? "?"
                let type = properties?["AuthorizationType"]?.text ?? "NONE"
                if type == "NONE" {
                    facts.append("route \(id) \(route): public (AuthorizationType NONE)")
                } else {
                    let scopes = properties?["AuthorizationScopes"].map { " scopes \($0)" } ?? ""
                    facts.append("route \(id) \(route): \(type) authorizer \(properties?["AuthorizerId"]?.description ?? "(none)")\(scopes)")
                }
            case "AWS::ApiGateway::Method":
                let route = "\(properties?["HttpMethod"]?.description ?? "?") \(properties?["ResourceId"]?.description ?? "?")"
                let type = properties?["AuthorizationType"]?.text ?? "NONE"
                let key = properties?["ApiKeyRequired"]?.text == "true" ? ", API key required" : ""
                facts.append(type == "NONE"
                    ? "route \(id) \(route): public (AuthorizationType NONE\(key))"
                    : "route \(id) \(route): \(type) authorizer \(properties?["AuthorizerId"]?.description ?? "(none)")\(key)")
            case "AWS::ApiGatewayV2::Authorizer", "AWS::ApiGateway::Authorizer":
                var parts = [properties?["AuthorizerType"]?.description ?? properties?["Type"]?.description ?? "?"]
                if let jwt = properties?["JwtConfiguration"] {
                    parts.append("issuer \(jwt["Issuer"]?.description ?? "?") audiences \(jwt["Audience"]?.description ?? "?")")
                }
                if let uri = properties?["AuthorizerUri"] { parts.append("function \(uri)") }
                if let pools = properties?["ProviderARNs"] { parts.append("user pools \(pools)") }
                if let identity = properties?["IdentitySource"] { parts.append("identity \(identity)") }
                facts.append("authorizer \(id): \(parts.joined(separator: " "))")
            case "AWS::ApiGatewayV2::Api":
                if let cors = properties?["CorsConfiguration"] { facts.append("cors \(id): \(describeCors(cors))") }
            case "AWS::Lambda::Url":
                let auth = properties?["AuthType"]?.text ?? "?"
                facts.append("function url \(id) for \(properties?["TargetFunctionArn"]?.description ?? "?"): \(auth == "NONE" ? "public (AuthType NONE)" : "AuthType \(auth)")")
                if let cors = properties?["Cors"] { facts.append("cors \(id): \(describeCors(cors))") }
            case "AWS::S3::Bucket":
                let block = properties?["PublicAccessBlockConfiguration"]
                let flags = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]
                let off = flags.filter { block?[$0]?.text != "true" }
                facts.append("public access \(id): " + (off.isEmpty ? "all blocked" : "not blocked: \(off.joined(separator: ", "))"))
                let rules = properties?["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?.items ?? []
                let algorithms = rules.map { rule in
                    let sse = rule["ServerSideEncryptionByDefault"]
                    return [sse?["SSEAlgorithm"]?.description, sse?["KMSMasterKeyID"].map { "key \($0)" }].compactMap { $0 }.joined(separator: " ")
                }
                facts.append("encryption \(id): " + (algorithms.isEmpty ? "S3 default (SSE-S3)" : algorithms.joined(separator: ", ")))
                for rule in properties?["CorsConfiguration"]?["CorsRules"]?.items ?? [] { facts.append("cors \(id): \(describeCors(rule))") }
            case "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable":
                let sse = properties?["SSESpecification"]
                let on = sse?["SSEEnabled"]?.text == "true"
                facts.append("encryption \(id): " + (on ? "KMS \(sse?["KMSMasterKeyId"]?.description ?? "(AWS managed key)")" : "AWS owned key only (SSEEnabled off)"))
                facts.append("deletion protection \(id): \(onOff(properties?["DeletionProtectionEnabled"]))")
            case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster":
                if properties?["DBClusterIdentifier"] == nil || entry.value["Type"]?.text == "AWS::RDS::DBCluster" {
                    let kms = properties?["KmsKeyId"].map { " key \($0)" } ?? ""
                    facts.append("encryption \(id): storage \(onOff(properties?["StorageEncrypted"]))\(kms)")
                    facts.append("deletion protection \(id): \(onOff(properties?["DeletionProtection"]))")
                }
                if properties?["PubliclyAccessible"]?.text == "true" {
                    facts.append("public access \(id): publicly accessible (PubliclyAccessible true)")
                } else if entry.value["Type"]?.text == "AWS::RDS::DBInstance" {
                    facts.append("public access \(id): private (PubliclyAccessible \(properties?["PubliclyAccessible"]?.description ?? "not set"))")
                }
            case "AWS::SQS::Queue":
                if let key = properties?["KmsMasterKeyId"] {
                    facts.append("encryption \(id): KMS \(key)")
                } else {
                    facts.append("encryption \(id): " + (properties?["SqsManagedSseEnabled"]?.text == "false" ? "off" : "SQS managed (SSE-SQS)"))
                }
            case "AWS::SNS::Topic":
                facts.append("encryption \(id): " + (properties?["KmsMasterKeyId"].map { "KMS \($0)" } ?? "off"))
            case "AWS::Logs::LogGroup":
                facts.append("encryption \(id): " + (properties?["KmsKeyId"].map { "KMS \($0)" } ?? "CloudWatch Logs default"))
                if let policy = properties?["ResourcePolicyDocument"] {
                    for statement in statements(policy) { facts.append("resource policy \(id): \(describe(statement))") }
                }
                if properties?["DeletionProtectionEnabled"] != nil {
                    facts.append("deletion protection \(id): \(onOff(properties?["DeletionProtectionEnabled"]))")
                }
            case "AWS::Cognito::UserPool":
                let selfSignUp = properties?["AdminCreateUserConfig"]?["AllowAdminCreateUserOnly"]?.text != "true"
                facts.append("user pool \(id): " + (selfSignUp ? "self sign-up enabled" : "self sign-up disabled (admins create users)"))
                facts.append("user pool \(id): MFA \(properties?["MfaConfiguration"]?.description ?? "OFF")")
                let policy = properties?["Policies"]?["PasswordPolicy"]
                let rules = ["MinimumLength", "RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols", "PasswordHistorySize", "TemporaryPasswordValidityDays"]
                    .compactMap { key in policy?[key].map { "\(key) \($0)" } }
                facts.append("user pool \(id): password policy " + (rules.isEmpty ? "Cognito default" : rules.joined(separator: ", ")))
                facts.append("deletion protection \(id): " + (properties?["DeletionProtection"]?.text == "ACTIVE" ? "on" : "off"))
            default:
                break
            }
        }
        return facts
    }

    /// The statements of a policy document, which may also be a JSON string (log-group and
    /// ECR policies are written that way).
    private static func statements(_ document: Document?) -> [Document] {
        if let text = document?.text, let data = text.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) {
            return convert(object)["Statement"].map { $0.items.isEmpty ? [$0] : $0.items } ?? []
        }
        guard let statement = document?["Statement"] else { return [] }
        return statement.items.isEmpty ? [statement] : statement.items
    }

    private static func convert(_ object: Any) -> Document {
        switch object {
        case let map as [String: Any]: return .map(map.keys.sorted().map { Document.Entry(key: $0, value: convert(map[$0]!)) })
        case let list as [Any]: return .list(list.map(convert))
        default: return .scalar("\(object)")
        }
    }

    private static func onOff(_ value: Document?) -> String {
        switch value?.text {
        case "true": "on"
        case nil: value == nil ? "off" : "\(value!)"
        default: "off"
        }
    }

    private static func filter(_ targets: Document?) -> String {
        guard let accounts = targets?["Accounts"], let mode = targets?["AccountFilterType"]?.text, mode != "NONE" else { return "" }
        return " (\(mode.lowercased()) \(accounts))"
    }

    private static func describeCors(_ cors: Document) -> String {
        let origins = cors["AllowOrigins"] ?? cors["AllowedOrigins"] ?? .list([])
        let wildcard = origins.items.contains { $0.text == "*" } ? " (any origin)" : ""
        let credentials = cors["AllowCredentials"]?.text == "true" ? ", with credentials" : ""
        return "origins \(origins)\(wildcard)\(credentials)"
    }

    private static func describe(_ statement: Document) -> String {
        var parts: [String] = [statement["Effect"]?.description ?? "Allow"]
        if let principal = statement["Principal"] { parts.append("principal \(principal)") }
        parts.append(statement["Action"]?.description ?? "?")
        if let resource = statement["Resource"] { parts.append("on \(resource)") }
        if let condition = statement["Condition"] { parts.append("when \(condition)") }
        return parts.joined(separator: " ")
    }

    private static func describeRule(_ rule: Document?) -> String {
        let peer = rule?["CidrIp"] ?? rule?["CidrIpv6"] ?? rule?["SourceSecurityGroupId"] ?? rule?["DestinationSecurityGroupId"] ?? .scalar("?")
        let ports = [rule?["IpProtocol"], rule?["FromPort"], rule?["ToPort"]].map { $0?.description ?? "?" }
        return "\(ports[0]) \(ports[1])-\(ports[2]) \(peer)"
    }
}
