import CloudFormation
import Synthesis

/// Finds physical names that two environments would both create: stages that share an account
/// (seed 002 runs dev, staging and prod in one) must not fight over a bucket, a role or a stack.
public enum PhysicalNames {
    /// Properties that fix a physical name, by type, and whether the name is global (S3 buckets,
    /// Cognito domain prefixes) rather than per account and region.
    static let nameProperties: [String: (property: String, global: Bool)] = [
        "AWS::S3::Bucket": ("BucketName", true),
        "AWS::Cognito::UserPoolDomain": ("Domain", true),
        "AWS::IAM::Role": ("RoleName", false),
        "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", false),
        "AWS::DynamoDB::Table": ("TableName", false),
        "AWS::SQS::Queue": ("QueueName", false),
        "AWS::SNS::Topic": ("TopicName", false),
        "AWS::Lambda::Function": ("FunctionName", false),
        "AWS::Logs::LogGroup": ("LogGroupName", false),
        "AWS::KMS::Alias": ("AliasName", false),
        "AWS::CloudFormation::StackSet": ("StackSetName", false),
        "AWS::CodePipeline::Pipeline": ("Name", false),
        "AWS::CodeBuild::Project": ("Name", false),
        "AWS::ApiGatewayV2::DomainName": ("DomainName", false),
        "AWS::Route53::HostedZone": ("Name", false),
    ]

    public static func collisions(_ apps: [SynthesizedApp]) -> [Diagnostic] {
        var owners: [String: (environment: String, stack: String)] = [:]
        var problems: [Diagnostic] = []
        for app in apps {
            for stack in app.stacks where !stack.isShared && !stack.isTemplateOnly {
                var names = ["stack \(stack.stackName) in \(stack.account.id) \(stack.region)"]
                for (_, resource) in stack.template.resources {
                    guard let rule = nameProperties[resource.type], let value = resource.properties[rule.property],
                        let name = concrete(value, stack: stack)
                    else { continue }
                    let scope = rule.global ? "everywhere" : "in \(stack.account.id) \(stack.region)"
                    names.append("\(resource.type) '\(name)' \(scope)")
                }
                for name in names {
                    if let owner = owners[name], owner.environment != app.environment.name {
                        problems.append(Diagnostic(
                            "environments \(owner.environment) and \(app.environment.name) both create \(name) (stacks \(owner.stack) and \(stack.stackName))",
                            at: SourceLocation(file: app.environment.file),
                            hint: "stages that share an account need names that carry the environment; leave the name to CloudFormation or include the environment's name"))
                    } else if owners[name] == nil {
                        owners[name] = (app.environment.name, stack.stackName)
                    }
                }
            }
        }
        return problems
    }

    /// The name a value gives in `stack`, when it does not depend on other resources.
    static func concrete(_ value: Value, stack: SynthesizedStack) -> String? {
        switch value {
        case .string(let text): return text
        case .sub(let text, let variables) where variables.isEmpty:
            let resolved = text.replacingOccurrences(of: "${AWS::AccountId}", with: stack.account.id)
                .replacingOccurrences(of: "${AWS::Region}", with: stack.region)
                .replacingOccurrences(of: "${AWS::StackName}", with: stack.stackName)
            return resolved.contains("${") ? nil : resolved
        default: return nil
        }
    }
}
