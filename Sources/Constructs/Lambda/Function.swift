import AWSLambda
import CloudFormation
import L1Core
import Synthesis

/// Lambda runtimes Stratus accepts (the ones AWS has not deprecated).
public enum Runtime: String, Sendable {
    case python312 = "python3.12"
    case python313 = "python3.13"
    case python314 = "python3.14"
    case nodejs20 = "nodejs20.x"
    case nodejs22 = "nodejs22.x"
    case providedAL2023 = "provided.al2023"
}

public enum Architecture: String, Sendable {
    case arm64
    case x86_64
}

/// Where a function's code comes from.
public enum Code: Sendable {
    /// Source written into the template (`ZipFile`), at most 4096 characters.
    case inline(String)
    /// A folder of the repository, relative to its root. It is zipped deterministically, named by
    /// its SHA-256, written to `out/<env>/assets/` and uploaded by the plan before the stack deploys.
    case folder(String)
}

/// A Lambda function with its own log group and execution role.
///
/// Emits `AWS::Lambda::Function`, `AWS::Logs::LogGroup` (the function logs there, retained on
/// delete) and `AWS::IAM::Role`. The role starts with only what the function needs to run:
/// writing to its own log group, and sending traces to X-Ray when tracing is on. `grant*` methods
/// of other constructs add to it. Not stateful.
///
///     let games = Function(in: quiz, "Games", handler: "app.handler",
///                          code: .folder("Stacks/Functions/quiz/games"),
///                          environment: ["TABLE": table.name])
public final class Function: Construct, Grantable, Connectable {
    public let runtime: Runtime
    public let handler: String
    public let code: Code
    public let memorySize: Int
    public let timeout: Int
    public let reservedConcurrency: Int?
    public let environment: [(String, Value)]
    /// The `AWS::Lambda::Function` this construct creates, typed.
    public private(set) var resource: Lambda.Function!
    public private(set) var role: Role!
    public private(set) var logGroup: LogGroup!
    /// The packaged code folder, when the code is a folder that exists and has files.
    public private(set) var asset: Asset?
    /// The function's security group, when it runs in a VPC.
    public private(set) var securityGroup: SecurityGroup?
    public let vpc: Vpc?
    public let subnetType: SubnetType

    /// - Parameters:
    ///   - runtime: Python 3.13 by default.
    ///   - handler: The entry point, e.g. `app.handler`.
    ///   - memorySize: Megabytes, 128 to 10240: 256 by default.
    ///   - timeout: Seconds, 1 to 900: 10 by default.
    ///   - environment: Environment variables, in the order given; values may be references.
    ///   - tracing: X-Ray active tracing, on by default.
    ///   - reservedConcurrency: A cap on concurrent executions; the account's shared pool by default.
    ///   - logRetentionDays: How long the function's logs are kept: 30 days by default.
    ///   - architecture: arm64 (Graviton) by default.
    ///   - vpc: Run in this VPC, with a security group of its own (no outbound traffic until a
    ///     connection opens it) and the VPC access managed policy; outside any VPC by default.
    ///   - subnets: Which subnets of `vpc`: the isolated ones by default.
    ///   - deadLetterQueue: Where Lambda sends events of failed asynchronous invocations; none by
    ///     default, since API routes and queue event sources invoke synchronously (their failures go
    ///     back to the caller, or stay in the source queue and move to its dead-letter queue).
    ///   - customerManagedKey: Encrypt environment variables (and the log group) with the stack's
    ///     customer managed KMS key; on in production environments, Lambda's AWS managed key elsewhere.
    ///
    /// Each default a scanner flags is explained in the function's template metadata (checkov
    /// CKV_AWS_115, 116, 117, 173), with the argument that turns the option on.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, runtime: Runtime = .python313, handler: String, code: Code,
        memorySize: Int = 256, timeout: Int = 10, environment: KeyValuePairs<String, Value> = [:], tracing: Bool = true,
        reservedConcurrency: Int? = nil, logRetentionDays: Int = 30, architecture: Architecture = .arm64,
        vpc: Vpc? = nil, subnets: SubnetType = .isolated, deadLetterQueue: Queue? = nil, customerManagedKey: Bool? = nil,
        description: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.vpc = vpc
        self.subnetType = subnets
        self.runtime = runtime
        self.handler = handler
        self.code = code
        self.memorySize = memorySize
        self.timeout = timeout
        self.reservedConcurrency = reservedConcurrency
        self.environment = environment.map { ($0.key, $0.value) }
        super.init(in: scope, id, file: file, line: line)

        logGroup = LogGroup(in: self, "Logs", retentionDays: logRetentionDays, customerManagedKey: customerManagedKey, file: file, line: line)
        role = Role(in: self, "Role", assumedBy: "lambda.amazonaws.com", file: file, line: line)
        role.addToPolicy(PolicyStatement(actions: LambdaPermissions.writeLogs, resources: [logGroup.arn]))
        if tracing { role.addToPolicy(PolicyStatement(actions: LambdaPermissions.xrayWrite, resources: ["*"])) }

        let lambdaCode: Lambda.Function.Code
        switch code {
        case .inline(let source):
            lambdaCode = .init(zipFile: Typed(source))
        case .folder(let folder):
            asset = app.asset(folder: folder, for: self)
            lambdaCode = .init(s3Bucket: .value(AssetBucket.name), s3Key: Typed(asset?.key ?? "missing.zip"))
        }
        let function = Lambda.Function(
            in: self, "Resource", code: lambdaCode, role: .value(role.arn),
            architectures: [Typed(rawString: architecture.rawValue)],
            description: description.map { Typed($0) },
            environment: self.environment.isEmpty ? nil : .init(variables: Map(self.environment)),
            handler: Typed(handler),
            loggingConfig: .init(logGroup: .value(logGroup.name)),
            memorySize: Typed(memorySize),
            reservedConcurrentExecutions: reservedConcurrency.map { Typed($0) },
            runtime: Typed(rawString: runtime.rawValue),
            timeout: Typed(timeout),
            tracingConfig: tracing ? .init(mode: .active) : nil,
            file: file, line: line)
        if let vpc {
            let group = SecurityGroup(in: self, "SecurityGroup", vpc: vpc, description: "Lambda function \(relativePath)", file: file, line: line)
            securityGroup = group
            role.addManagedPolicy(Role.awsManagedPolicy("service-role/AWSLambdaVPCAccessExecutionRole"))
            function.vpcConfig = .init(securityGroupIds: [.value(group.groupId)], subnetIds: List(vpc.subnets(subnets).map { .value($0.subnetId) }))
        }
        let key = KmsKey.wanted(customerManagedKey, by: self) && !self.environment.isEmpty ? KmsKey.stackKey(for: self, file: file, line: line) : nil
        if let key {
            function.kmsKeyArn = .value(key.arn)
            role.addToPolicy(PolicyStatement(actions: ["kms:Decrypt"], resources: [key.arn]))
        }
        if let deadLetterQueue {
            function.deadLetterConfig = .init(targetArn: .value(deadLetterQueue.arn))
            role.addToPolicy(PolicyStatement(actions: ["sqs:SendMessage"], resources: [deadLetterQueue.arn]))
        }
        resource = function
        if vpc == nil {
            function.justify("CKV_AWS_117", because: "Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.")
        }
        if reservedConcurrency == nil {
            function.justify("CKV_AWS_115", because: "No reserved concurrency: the function draws on the account's unreserved pool, and reserving capacity would take it from every other function of the account. Pass reservedConcurrency: to cap it.")
        }
        if deadLetterQueue == nil {
            function.justify("CKV_AWS_116", because: "No dead-letter queue: Lambda uses one only for asynchronous invocations, and API routes and queue event sources invoke synchronously (failures return to the caller, or stay in the source queue and move to its dead-letter queue). Pass deadLetterQueue: for asynchronous callers.")
        }
        if key != nil {
            function.enabled("CKV_AWS_173", because: KmsKey.onReason)
        } else if !self.environment.isEmpty {
            function.justify("CKV_AWS_173", because: KmsKey.offReason(
                "Lambda encrypts environment variables at rest with its AWS managed key, and secrets belong in Secrets Manager rather than in variables", setting: "customerManagedKey"))
        }
    }

    public var grantRole: Role { role }

    public var arn: Value { resource.attribute("Arn") }
    public var name: Value { resource.ref("Name") }

    /// Variable names Lambda sets itself and refuses in a function's configuration.
    static let reservedVariables: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if !(128...10240).contains(memorySize) {
            problems.append(.construct(self, "memory size \(memorySize) MB is outside 128...10240", hint: "256 MB suits most API handlers"))
        }
        if !(1...900).contains(timeout) {
            problems.append(.construct(self, "timeout \(timeout) s is outside 1...900", hint: "API Gateway waits at most 30 s for a Lambda integration"))
        }
        if let reservedConcurrency, reservedConcurrency < 0 {
            problems.append(.construct(self, "reserved concurrency \(reservedConcurrency) is negative", hint: "leave it out to use the account's shared pool"))
        }
        if let vpc, vpc.subnets(subnetType).isEmpty {
            problems.append(.construct(self, "VPC \(vpc.path) has no \(subnetType.rawValue.lowercased()) subnets", hint: "pick a subnet type the VPC has"))
        }
        if handler.isEmpty {
            problems.append(.construct(self, "handler is empty", hint: "name the entry point, e.g. app.handler"))
        }
        if case .inline(let source) = code, source.utf8.count > 4096 {
            problems.append(.construct(self, "inline code is \(source.utf8.count) bytes; CloudFormation accepts at most 4096", hint: "use code: .folder(...) instead"))
        }
        for (name, _) in environment {
            let valid = name.first?.isLetter == true && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            if !valid {
                problems.append(.construct(self, "environment variable name '\(name)' must start with a letter and contain only letters, digits and '_'", hint: "e.g. GAMES_TABLE"))
            } else if Self.reservedVariables.contains(name) {
                problems.append(.construct(self, "environment variable '\(name)' is set by Lambda itself", hint: "choose another name"))
            }
        }
        return problems
    }
}
