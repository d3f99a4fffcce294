import CloudFormation
import Constructs
import Synthesis

/// The Digidex application (seed 001), in dev and prd: a React frontend in a private bucket
/// behind CloudFront at `digidex.<env>.brainfartlab.com` (its certificate in us-east-1), and a
/// backend of one Lambda in a VPC's isolated subnets that logs in to PostgreSQL with IAM
/// authentication, served by an HTTP API mounted at `api.<env>.brainfartlab.com/digidex`.
public struct Digidex {
    public static let environments: Set<String> = ["dev", "prd"]

    public init(in app: App, platform: Platform) {
        let environment = app.environment

        let frontend = Stack(in: app, "DigidexFrontend", description: "Digidex frontend of \(environment.name): site bucket and CloudFront.")
        let site = Bucket(in: frontend, "Site")
        Distribution(
            in: frontend, "Cdn", origin: .bucket(site), domainNames: ["digidex.\(environment.domain)"], zone: platform.zone,
            defaultRootObject: "index.html", singlePageApplication: .fallback(to: "/index.html"), comment: "Digidex \(environment.name)")

        let backend = Stack(in: app, "DigidexBackend", description: "Digidex backend of \(environment.name): VPC, PostgreSQL and API.")
        let vpc = Vpc(in: backend, "Network", cidr: "10.20.0.0/16", availabilityZones: 2)
        let database = DatabaseInstance(in: backend, "Database", vpc: vpc, restore: .deployParameter)
        let api = Function(
            in: backend, "ApiFunction", handler: "app.handler", code: .folder("Stacks/Functions/digidex/api"),
            memorySize: 512, timeout: 15,
            environment: [
                "DB_HOST": database.endpointAddress, "DB_PORT": database.endpointPort, "DB_USER": "digidex", "DB_NAME": "digidex",
            ],
            vpc: vpc, description: "Digidex API (FastAPI on Mangum)")
        database.allowConnections(from: api)
        database.grantConnect(to: api, user: "digidex")

        let httpApi = HttpApi(
            in: backend, "Api",
            cors: CorsPreflight(allowOrigins: ["https://digidex.\(environment.domain)"], allowMethods: [.get]))
        httpApi.addRoute("$default", to: api, authorization: .public)
        let stage = httpApi.addStage("$default")
        ApiMapping(in: backend, "ApiMapping", domain: platform.apiDomain, api: httpApi, stage: stage, key: "digidex")
    }
}
