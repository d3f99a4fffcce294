import CloudFormation
import Constructs
import Synthesis

/// The portfolio backend of the Cloud Resume Challenge (seed 004), in dev and prd: a single-table
/// DynamoDB design, an owner-only Cognito user pool, an HTTP API that checks Cognito tokens in
/// front of one traced Lambda, mounted at `api.<env>.brainfartlab.com/resume`, and the seed's
/// monitoring table as alarms to an SNS topic.
public struct Resume {
    public static let environments: Set<String> = ["dev", "prd"]

    public init(in app: App, platform: Platform) {
        let environment = app.environment
        let stack = Stack(in: app, "Resume", description: "Portfolio backend of \(environment.name): table, owner-only user pool, API and alarms.")

        let content = Table(
            in: stack, "Content", partitionKey: .string("PK"), sortKey: .string("SK"),
            indexes: [GlobalSecondaryIndex(name: "GSI1", partitionKey: .string("GSI1PK"), sortKey: .string("GSI1SK"))])
        let owners = UserPool(in: stack, "Owners")
        let web = owners.addClient("Web", .web(
            callbackURLs: ["https://resume.\(environment.domain)/callback"], logoutURLs: ["https://resume.\(environment.domain)/"]))

        let function = Function(
            in: stack, "ApiFunction", runtime: .python312, handler: "app.handler", code: .folder("Stacks/Functions/resume/api"),
            memorySize: 1024, timeout: 30,
            environment: [
                "DYNAMODB_TABLE_NAME": content.name, "COGNITO_USER_POOL_ID": owners.poolId, "COGNITO_CLIENT_ID": web.clientId,
                "COGNITO_REGION": .region, "ENVIRONMENT": .string(environment.name), "LOG_LEVEL": "INFO",
            ],
            description: "Portfolio API (FastAPI on Mangum)")
        content.grantReadWrite(to: function)

        let api = HttpApi(
            in: stack, "Api", cors: CorsPreflight(allowOrigins: ["https://resume.\(environment.domain)"]),
            defaultAuthorizer: .cognito(owners, clients: [web]))
        api.addRoute("ANY /v1/{proxy+}", to: function)
        api.addRoute("GET /health", to: function, authorization: .public)
        let stage = api.addStage("$default")
        ApiMapping(in: stack, "ApiMapping", domain: platform.apiDomain, api: api, stage: stage, key: "resume")

        let alerts = Topic(in: stack, "Alerts", displayName: "Portfolio \(environment.name) alarms")
        function.alarmOnErrors(topic: alerts, ratePercent: 1)
        function.alarmOnDuration(topic: alerts, seconds: 10)
        function.alarmOnThrottles(topic: alerts)
        api.alarmOn4xx(stage: stage, topic: alerts, ratePercent: 5)
        api.alarmOn5xx(stage: stage, topic: alerts, ratePercent: 1)
        api.alarmOnLatency(stage: stage, topic: alerts, seconds: 2)
        content.alarmOnThrottles(topic: alerts)
    }
}
