import CloudFormation
import L1ConstructTypes
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

/// Where Lambda sends the record of an asynchronous invocation that failed every attempt (an
/// on-failure destination): the request, the error and the response, as one JSON message.
public enum AsyncDestination {
    /// Sent to this queue (`sqs:SendMessage`, and the key's actions when it has its own key).
    case queue(Queue)
    /// Published to this topic (`sns:Publish`, and its key's actions).
    case topic(Topic)
    /// Invoked asynchronously with the record (`lambda:InvokeFunction`).
    case function(Function)

    var construct: Construct {
        switch self {
        case .queue(let queue): queue
        case .topic(let topic): topic
        case .function(let function): function
        }
    }
}

/// A Lambda function with its own log group and execution role.
///
/// Emits `AWS::Lambda::Function`, `AWS::Logs::LogGroup` (the function logs there, retained on
/// delete) and `AWS::IAM::Role`, plus `AWS::Lambda::EventInvokeConfig` when asynchronous
/// invocations have an on-failure destination or their own retry settings. The role starts with
/// only what the function needs to run: writing to its own log group, sending traces to X-Ray when
/// tracing is on, and sending to its dead-letter queue or on-failure destination. `grant*` methods
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
    public let architecture: Architecture
    public let environment: [(String, Value)]
    /// The layers the function uses, in the order Lambda extracts them into `/opt`.
    public let layers: [LayerVersion]
    public let onFailure: AsyncDestination?
    public let deadLetterQueue: Queue?
    public let maximumRetryAttempts: Int?
    public let maximumEventAge: Int?
    /// The key that encrypts the environment variables, when one is used (`environmentKey:`, or
    /// the stack's key in production).
    public private(set) var environmentKey: KmsKey?
    /// The key given as `environmentKey:`, kept to report it when there is nothing to encrypt.
    private let requestedEnvironmentKey: KmsKey?
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
    ///   - reservedConcurrency: Concurrent executions reserved for the function, and its cap (0
    ///     stops it from running); the account's unreserved pool by default.
    ///   - layers: Up to five layers, extracted into `/opt` in this order; none by default. Each
    ///     must list the function's runtime and architecture as compatible.
    ///   - logRetentionDays: How long the function's logs are kept: 30 days by default.
    ///   - architecture: arm64 (Graviton) by default.
    ///   - vpc: Run in this VPC, with a security group of its own (no outbound traffic until a
    ///     connection opens it) and the VPC access managed policy; outside any VPC by default.
    ///   - subnets: Which subnets of `vpc`: the isolated ones by default.
    ///   - deadLetterQueue: Where Lambda sends events of failed asynchronous invocations; none by
    ///     default, since API routes and queue event sources invoke synchronously (their failures go
    ///     back to the caller, or stay in the source queue and move to its dead-letter queue).
    ///   - onFailure: Where the record of a failed asynchronous invocation goes (a queue, a topic
    ///     or a function), with the permission to send it on the function's role; none by default.
    ///     Destinations receive more than a dead-letter queue (the error and the response too).
    ///   - maximumRetryAttempts: Retries of a failed asynchronous invocation, 0 to 2: Lambda's 2 by default.
    ///   - maximumEventAge: Seconds an asynchronous event may wait to be processed, 60 to 21600:
    ///     Lambda's 6 hours by default.
    ///   - customerManagedKey: Encrypt environment variables (and the log group) with the stack's
    ///     customer managed KMS key; on in production environments, Lambda's AWS managed key elsewhere.
    ///   - environmentKey: Encrypt the environment variables with this customer managed key
    ///     instead (the role may decrypt with it); Lambda's AWS managed key, or the stack's key in
    ///     production, by default.
    ///
    /// Each default a scanner flags is explained in the function's template metadata (checkov
    /// CKV_AWS_115, 116, 117, 173), with the argument that turns the option on.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, runtime: Runtime = .python313, handler: String, code: Code,
        memorySize: Int = 256, timeout: Int = 10, environment: KeyValuePairs<String, Value> = [:], tracing: Bool = true,
        reservedConcurrency: Int? = nil, logRetentionDays: Int = 30, architecture: Architecture = .arm64,
        vpc: Vpc? = nil, subnets: SubnetType = .isolated, layers: [LayerVersion] = [], deadLetterQueue: Queue? = nil,
        onFailure: AsyncDestination? = nil, maximumRetryAttempts: Int? = nil, maximumEventAge: Int? = nil,
        customerManagedKey: Bool? = nil, environmentKey: KmsKey? = nil,
        description: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.layers = layers
        self.architecture = architecture
        self.onFailure = onFailure
        self.deadLetterQueue = deadLetterQueue
        self.requestedEnvironmentKey = environmentKey
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumEventAge = maximumEventAge
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
            layers: layers.isEmpty ? nil : List(layers.map { .value($0.arn) }),
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
        let key = self.environment.isEmpty ? nil
            : environmentKey ?? (KmsKey.wanted(customerManagedKey, by: self) ? KmsKey.stackKey(for: self, file: file, line: line) : nil)
        self.environmentKey = key
        if let key {
            function.kmsKeyArn = .value(key.arn)
            role.addToPolicy(PolicyStatement(actions: ["kms:Decrypt"], resources: [key.arn]))
        }
        if let deadLetterQueue {
            function.deadLetterConfig = .init(targetArn: .value(deadLetterQueue.arn))
            role.addToPolicy(PolicyStatement(actions: ["sqs:SendMessage"], resources: [deadLetterQueue.arn]))
            if let queueKey = deadLetterQueue.key { role.addToPolicy(PolicyStatement(actions: SQSPermissions.keySend, resources: [queueKey.arn])) }
        }
        resource = function
        if onFailure != nil || maximumRetryAttempts != nil || maximumEventAge != nil {
            var destination: Lambda.EventInvokeConfig.DestinationConfig?
            if let onFailure {
                destination = .init(onFailure: .init(destination: .value(grantSending(to: onFailure))))
            }
            _ = Lambda.EventInvokeConfig(
                in: self, "AsyncConfig", functionName: .value(name), qualifier: "$LATEST", destinationConfig: destination,
                maximumEventAgeInSeconds: maximumEventAge.map { Typed($0) }, maximumRetryAttempts: maximumRetryAttempts.map { Typed($0) },
                file: file, line: line)
        }
        if vpc == nil {
            function.justify("CKV_AWS_117", because: "Not in a VPC: the function reaches only AWS APIs, which IAM authorizes, and a VPC would need a NAT gateway or VPC endpoints to reach them. Pass vpc: to run it in one.")
        }
        if reservedConcurrency == nil {
            function.justify("CKV_AWS_115", because: "No reserved concurrency: the function draws on the account's unreserved pool, and reserving capacity would take it from every other function of the account. Pass reservedConcurrency: to cap it.")
        }
        if deadLetterQueue == nil, let onFailure {
            function.justify("CKV_AWS_116", because: "No dead-letter queue: failed asynchronous invocations go to the on-failure destination \(onFailure.construct.relativePath), which receives the error and the response as well as the event; checkov looks only at DeadLetterConfig.")
        } else if deadLetterQueue == nil {
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

    /// Records that `caller` (an EventBridge rule, an S3 notification) invokes the function
    /// asynchronously: without a dead-letter queue or on-failure destination, the reason the
    /// template gives checkov no longer holds, so it says what happens instead.
    public func invokedAsynchronously(by caller: Construct) {
        guard deadLetterQueue == nil, onFailure == nil else { return }
        resource.justify("CKV_AWS_116", because: "No dead-letter queue: \(caller.relativePath) invokes the function asynchronously, and an event whose invocation still fails after Lambda's retries is dropped. Pass onFailure: or deadLetterQueue: to keep such events.")
    }

    /// Allows `grantee` to invoke the function (`lambda:InvokeFunction` on it and its versions
    /// and aliases), e.g. a state machine whose task calls it.
    @discardableResult
    public func grantInvoke(to grantee: any Grantable, file: String = #fileID, line: Int = #line) -> Grant {
        Grants.add(
            PolicyStatement(actions: LambdaPermissions.invoke, resources: [arn, .sub("${Arn}:*", ["Arn": arn])]),
            on: self, to: grantee, verb: "grantInvoke", file: file, line: line)
    }

    /// Adds to the role what sending to `destination` needs; returns the destination's ARN. A
    /// refused grant points at the line that created the function (where `onFailure:` is).
    private func grantSending(to destination: AsyncDestination) -> Value {
        let (file, line) = (location.file, location.line ?? 0)
        switch destination {
        case .queue(let queue):
            queue.grantSend(to: self, file: file, line: line)
            return queue.arn
        case .topic(let topic):
            topic.grantPublish(to: self, file: file, line: line)
            return topic.arn
        case .function(let function):
            _ = Grants.add(
                PolicyStatement(actions: LambdaPermissions.invoke, resources: [function.arn]), on: function, to: self, verb: "onFailure",
                file: file, line: line)
            return function.arn
        }
    }

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
        if let maximumRetryAttempts, !(0...2).contains(maximumRetryAttempts) {
            problems.append(.construct(self, "maximum retry attempts \(maximumRetryAttempts) is outside 0...2", hint: "Lambda retries a failed asynchronous invocation at most twice (the default)"))
        }
        if let maximumEventAge, !(60...21600).contains(maximumEventAge) {
            problems.append(.construct(self, "maximum event age \(maximumEventAge) s is outside 60...21600", hint: "leave it out for Lambda's 6 hours"))
        }
        if case .function(let target)? = onFailure, target === self {
            problems.append(.construct(self, "function is its own on-failure destination", hint: "send failures to a queue, a topic or another function"))
        }
        if let requestedEnvironmentKey, environment.isEmpty {
            problems.append(.construct(
                self, "environmentKey \(requestedEnvironmentKey.path) is given, but the function has no environment variables to encrypt",
                hint: "drop environmentKey:, or pass the variables with environment:"))
        }
        if layers.count > 5 {
            problems.append(.construct(self, "function uses \(layers.count) layers; Lambda allows at most 5", hint: "merge layers, or move code into the function's folder"))
        }
        for layer in layers {
            if !layer.compatibleRuntimes.isEmpty, !layer.compatibleRuntimes.contains(runtime) {
                problems.append(.construct(
                    self, "layer \(layer.path) is for \(layer.compatibleRuntimes.map(\.rawValue).joined(separator: ", ")), not this function's runtime \(runtime.rawValue)",
                    hint: "add .\(runtime) to the layer's compatibleRuntimes if its code runs there, or use a layer built for \(runtime.rawValue)"))
            }
            if !layer.compatibleArchitectures.isEmpty, !layer.compatibleArchitectures.contains(architecture) {
                problems.append(.construct(
                    self, "layer \(layer.path) is built for \(layer.compatibleArchitectures.map(\.rawValue).joined(separator: ", ")), not this function's architecture \(architecture.rawValue)",
                    hint: "add .\(architecture) to the layer's compatibleArchitectures if its code has no native parts, or build it for \(architecture.rawValue)"))
            }
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
