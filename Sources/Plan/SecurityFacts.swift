/// The security-relevant lines of a template, in the manner of `cdk diff`'s security section:
/// IAM statements, trust policies, security-group rules, bucket and other resource policies,
/// Lambda invoke permissions and StackSet parameter overrides. Each fact is one line; a diff
/// of two templates lists the lines added and removed.
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
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy":
                let roles = properties?["Roles"]?.description ?? "?"
                for statement in properties?["PolicyDocument"]?["Statement"]?.items ?? [] {
                    facts.append("iam \(id) (on \(roles)): \(describe(statement))")
                }
            case "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy":
                for statement in properties?["PolicyDocument"]?["Statement"]?.items ?? [] {
                    facts.append("resource policy \(id): \(describe(statement))")
                }
            case "AWS::KMS::Key":
                for statement in properties?["KeyPolicy"]?["Statement"]?.items ?? [] {
                    facts.append("key policy \(id): \(describe(statement))")
                }
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
                    for parameter in group["ParameterOverrides"]?.items ?? [] {
                        let accounts = group["DeploymentTargets"]?["Accounts"]?.description ?? "all targets"
                        facts.append("stackset \(id): \(parameter["ParameterKey"]?.description ?? "?")=\(parameter["ParameterValue"]?.description ?? "") for \(accounts)")
                    }
                }
            default:
                break
            }
        }
        return facts
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
