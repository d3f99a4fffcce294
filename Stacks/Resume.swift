import CloudFormation
import Constructs
import Synthesis

/// The portfolio backend of the Cloud Resume Challenge (seed 004), in dev and prd: a single-table
/// DynamoDB design, an owner-only Cognito user pool, an HTTP API that checks Cognito tokens in
/// front of one traced Lambda, and the seed's monitoring table as alarms to an SNS topic.
///
/// The API is served on the portfolio's own apex domain, as the seed has it: `api.patrickcmd.dev`
/// in prd, `api-dev.patrickcmd.dev` in dev. Each environment owns that name as a zone (`zones:` in
/// its file), delegated from the patrickcmd.dev apex zone in the network account, so its
/// certificate is validated in its own account and waits for the delegation.
public struct Resume {
    /// The API's domain per environment; the environments Resume runs in.
    public static let apiDomains: [String: String] = ["dev": "api-dev.patrickcmd.dev", "prd": "api.patrickcmd.dev"]
    public static var environments: Set<String> { Set(apiDomains.keys) }
    /// The portfolio site, which calls the API from the browser (seed 004: https://patrickcmd.dev).
    static let siteOrigins: [String: String] = ["dev": "https://dev.patrickcmd.dev", "prd": "https://patrickcmd.dev"]

    public init(in app: App, dns: DNS) {
        let environment = app.environment
        guard let apiDomainName = Self.apiDomains[environment.name], let site = Self.siteOrigins[environment.name],
              let zone = dns.zone(named: apiDomainName)
        else { return }
        let stack = Stack(in: app, "Resume", description: "Portfolio backend of \(environment.name): table, owner-only user pool, API on \(apiDomainName) and alarms.")

        let content = Table(
            in: stack, "Content", partitionKey: .string("PK"), sortKey: .string("SK"),
            indexes: [GlobalSecondaryIndex(name: "GSI1", partitionKey: .string("GSI1PK"), sortKey: .string("GSI1SK"))])
        let owners = UserPool(in: stack, "Owners")
        let web = owners.addClient("Web", .web(
            callbackURLs: ["\(site)/callback"], logoutURLs: ["\(site)/"]))

        // "Secrets in Parameter Store": the configuration lives in parameters under /<env>/resume/;
        // the function gets their names (<SETTING>_PARAMETER) and reads them with a grant.
        let settings: [(id: String, setting: String, value: Value)] = [
            ("TableNameParameter", "dynamodb-table-name", content.name), ("UserPoolIdParameter", "cognito-user-pool-id", owners.poolId),
            ("ClientIdParameter", "cognito-client-id", web.clientId), ("RegionParameter", "cognito-region", .region),
            ("EnvironmentParameter", "environment", .string(environment.name)), ("LogLevelParameter", "log-level", "INFO"),
        ]
        let parameters = settings.map { setting in
            StringParameter(
                in: stack, setting.id, name: "/\(environment.name)/resume/\(setting.setting)", value: setting.value,
                description: "Portfolio API setting \(setting.setting)")
        }
        let function = Function(
            in: stack, "ApiFunction", runtime: .python312, handler: "app.handler", code: .folder("Stacks/Functions/resume/api"),
            memorySize: 1024, timeout: 30,
            environment: [
                "DYNAMODB_TABLE_NAME_PARAMETER": parameters[0].name, "COGNITO_USER_POOL_ID_PARAMETER": parameters[1].name,
                "COGNITO_CLIENT_ID_PARAMETER": parameters[2].name, "COGNITO_REGION_PARAMETER": parameters[3].name,
                "ENVIRONMENT_PARAMETER": parameters[4].name, "LOG_LEVEL_PARAMETER": parameters[5].name,
            ],
            description: "Portfolio API (FastAPI on Mangum)")
        for parameter in parameters { parameter.grantRead(to: function) }
        content.grantReadWrite(to: function)

        let api = HttpApi(
            in: stack, "Api", cors: CorsPreflight(allowOrigins: [site]),
            defaultAuthorizer: .cognito(owners, clients: [web]))
        api.addRoute("ANY /v1/{proxy+}", to: function)
        api.addRoute("GET /health", to: function, authorization: .public)
        let stage = api.addStage("$default")
        // api.patrickcmd.dev is the API's alone: mounted at the root, its paths are the seed's (/v1/...).
        let certificate = Certificate(in: stack, "ApiCertificate", domainName: apiDomainName, zone: zone)
        let domain = ApiDomainName(in: stack, "ApiDomain", domainName: apiDomainName, certificate: certificate, zone: zone)
        ApiMapping(in: stack, "ApiMapping", domain: domain, api: api, stage: stage, key: "")

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
