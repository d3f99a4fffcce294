import CloudFormation
import Constructs
import Synthesis

/// The weather service (seed 003), in dev: machine clients get tokens from a Cognito user pool
/// with the client-credentials flow and call `GET /api/v1/get-today-weather`, which requires
/// scope `test/weatherforecastapi`. Its CI/CD lives in the cicd account: a Terraform state
/// backend and a GitHub Actions role for the service's repository.
public struct Weather {
    public static let environments: Set<String> = ["dev"]
    public static let repository = "brainfartlab/service-weather"

    public init(in app: App, platform: Platform) {
        let environment = app.environment
        let stack = Stack(in: app, "Weather", description: "Weather service of \(environment.name): user pool for machine clients and API.")

        let clients = UserPool(in: stack, "Clients")
        clients.addResourceServer("Api", identifier: "test", name: "Weather forecast API", scopes: [("weatherforecastapi", "Read the weather forecast")])
        let machine = clients.addClient("Machine", .machine(scopes: ["test/weatherforecastapi"]))
        clients.addDomain(prefix: "weather-\(environment.name)-brainfartlab")

        let function = Function(
            in: stack, "ApiFunction", handler: "app.handler", code: .folder("Stacks/Functions/weather/api"),
            environment: [
                "OPEN_WEATHER_DOMAIN": "https://api.openweathermap.org/data", "OPEN_WEATHER_API_VERSION": "2.5",
                "COORD_LONGITUDE": "105.8342", "COORD_LATITUDE": "21.0278",
                "COGNITO_USER_POOL_ID": clients.poolId, "COGNITO_APP_CLIENT_ID": machine.clientId, "COGNITO_SCOPE_KEY": "scope",
            ],
            description: "Weather service API")
        let api = HttpApi(in: stack, "Api", defaultAuthorizer: .cognito(clients, clients: [machine]))
        api.addRoute("GET /api/v1/get-today-weather", to: function, authorization: .scopes(["test/weatherforecastapi"]))
        api.addRoute("GET /health", to: function, authorization: .public)
        let stage = api.addStage("$default")
        ApiMapping(in: stack, "ApiMapping", domain: platform.apiDomain, api: api, stage: stage, key: "weather")

        // CI/CD of the service, in the cicd account.
        let cicd = Stack(
            in: app, "WeatherDelivery", account: app.organisation.cicd,
            description: "Delivery of the weather service to \(environment.name): Terraform state and a GitHub Actions role.")
        let deploy = GitHubDeployRole(in: cicd, "GitHubDeploy", repository: Self.repository, branch: "main")
        let state = TerraformStateBackend(
            in: cicd, "TerraformState", name: "\(environment.name)-weather-terraform-state", assumedBy: .accounts(deploy.role.arn))
        // A separate policy: the state role's trust names the deploy role, so an inline statement
        // naming the state role would make the two roles wait for each other.
        deploy.role.attachPolicy("UseTerraformState", [PolicyStatement(actions: ["sts:AssumeRole"], resources: [state.role.arn])])
    }
}
