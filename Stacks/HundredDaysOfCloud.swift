import CloudFormation
import Constructs
import Synthesis

/// The 100DaysOfCloud backend (seed 002) in its three stages, which share one account: a users
/// table, two read-only Python functions behind an HTTP API (`GET /user`, `GET /users`), a
/// private frontend bucket behind CloudFront, and a Cognito user pool for the website.
public struct HundredDaysOfCloud {
    public static let environments: Set<String> = ["hdoc-dev", "hdoc-staging", "hdoc-prod"]

    public init(in app: App) {
        let environment = app.environment
        let backend = Stack(in: app, "Backend", description: "100DaysOfCloud backend of \(environment.name): users table, functions, API, user pool.")

        let users = Table(in: backend, "Users", partitionKey: .string("github_username"))
        let getUserById = Function(
            in: backend, "GetUserById", handler: "get_user_by_id.handler", code: .folder("Stacks/Functions/hdoc/get_user_by_id"),
            environment: ["TABLE_NAME": users.name], description: "100DaysOfCloud GET /user")
        let getUsers = Function(
            in: backend, "GetUsers", handler: "get_users.handler", code: .folder("Stacks/Functions/hdoc/get_users"),
            environment: ["TABLE_NAME": users.name], description: "100DaysOfCloud GET /users")
        users.grantRead(to: getUserById)
        users.grantRead(to: getUsers)

        let pool = UserPool(in: backend, "UserPool", passwordMinimumLength: 8)
        let web = pool.addClient("Web", .web(
            callbackURLs: ["https://\(environment.domain)/callback"], logoutURLs: ["https://\(environment.domain)/"],
            scopes: ["email", "openid", "profile"]))
        pool.addDomain(prefix: "\(environment.name)-100daysofcloud")

        let api = HttpApi(
            in: backend, "Api", cors: CorsPreflight(allowOrigins: ["https://\(environment.domain)"], allowMethods: [.get]),
            defaultAuthorizer: .cognito(pool, clients: [web]))
        api.addRoute("GET /user", to: getUserById)
        api.addRoute("GET /users", to: getUsers)
        api.addStage("$default")

        let frontend = Stack(in: app, "Frontend", description: "100DaysOfCloud frontend of \(environment.name): private bucket behind CloudFront.")
        let site = Bucket(in: frontend, "Site")
        Distribution(
            in: frontend, "Cdn", origin: .bucket(site), defaultRootObject: "index.html", singlePageApplication: .fallback(to: "/index.html"),
            priceClass: .priceClass100, comment: "100DaysOfCloud \(environment.name)")
    }
}
