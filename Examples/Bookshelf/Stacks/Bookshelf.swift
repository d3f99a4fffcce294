import AWSSSM
import Stratus

/// The bookshelf service: an HTTP API in front of one function that keeps books in a table.
public enum Bookshelf {
    public static func define(in app: App) {
        let environment = app.environment
        let stack = Stack(in: app, "Books", description: "Bookshelf API of \(environment.name).")

        let books = Table(in: stack, "Books", partitionKey: .string("Isbn"))
        let handler = Function(
            in: stack, "Handler", handler: "app.handler", code: .folder("Stacks/Functions/books"),
            environment: ["TABLE": books.name], description: "Lists, reads and shelves books")
        books.grantReadWrite(to: handler)

        let api = HttpApi(
            in: stack, "Api", description: "Bookshelf API",
            cors: CorsPreflight(allowOrigins: ["https://books.\(environment.domain)"], allowMethods: [.get, .put]),
            defaultAuthorizer: .jwt(issuer: .string("https://auth.\(environment.domain)/"), audiences: ["bookshelf-api"]))
        api.addRoute("GET /books", to: handler, authorization: .public)
        api.addRoute("GET /books/{isbn}", to: handler, authorization: .public)
        api.addRoute("PUT /books/{isbn}", to: handler, authorization: .scopes(["books:write"]))   // shelving needs a token
        api.addStage("$default")

        // For the web front end's build: where the API answers, in Parameter Store (typed L1).
        SSM.Parameter(
            in: stack, "ApiEndpoint", typeProperty: .string, value: .value(api.endpoint),
            description: "Invoke URL of the bookshelf API", name: "/bookshelf/\(environment.name)/api-endpoint")
    }
}
