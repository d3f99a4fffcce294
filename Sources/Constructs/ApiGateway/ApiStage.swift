import CloudFormation
import Synthesis

/// A stage of an HTTP API, deployed automatically, with JSON access logs and throttling.
///
/// Emits `AWS::ApiGatewayV2::Stage` and its access-log `AWS::Logs::LogGroup` (retained). Made by
/// `HttpApi.addStage(_:)`.
public final class ApiStage: Construct {
    public let api: HttpApi
    public let name: String
    public private(set) var resource: CfnResource!
    public private(set) var accessLogs: LogGroup!

    /// One JSON object per request.
    static let accessLogFormat = """
        {"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime",\
        "httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status",\
        "protocol":"$context.protocol","responseLength":"$context.responseLength",\
        "integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error"}
        """

    init(in api: HttpApi, name: String, throttling: (rate: Double, burst: Int)?, accessLogRetentionDays: Int, file: String, line: Int) {
        self.api = api
        self.name = name
        super.init(in: api, name == "$default" ? "DefaultStage" : LogicalIds.pascalCase(name) + "Stage", file: file, line: line)
        accessLogs = LogGroup(in: self, "AccessLogs", retentionDays: accessLogRetentionDays, file: file, line: line)
        var routeSettings: Object = ["DetailedMetricsEnabled": true]
        if let throttling {
            routeSettings["ThrottlingBurstLimit"] = .int(throttling.burst)
            routeSettings["ThrottlingRateLimit"] = .double(throttling.rate)
        }
        resource = CfnResource(
            in: self, type: "AWS::ApiGatewayV2::Stage",
            properties: [
                "ApiId": api.apiId,
                "StageName": .string(name),
                "AutoDeploy": true,
                "AccessLogSettings": ["DestinationArn": accessLogs.arn, "Format": .string(Self.accessLogFormat)],
                "DefaultRouteSettings": .object(routeSettings),
            ], file: file, line: line)
    }

    /// The stage name (`!Ref`).
    public var stageName: Value { resource.ref("Name") }

    public override func validate() -> [Diagnostic] {
        let valid = name == "$default"
            || (!name.isEmpty && name.count <= 128 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        if !valid {
            return [.construct(self, "stage name '\(name)' must be '$default' or 1 to 128 letters, digits, '-' and '_'", hint: "e.g. live")]
        }
        return []
    }
}
