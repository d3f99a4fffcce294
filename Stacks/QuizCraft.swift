import CloudFormation
import Constructs
import Synthesis

/// The QuizCraft backend (seed 000): an HTTP API behind Auth0 JWTs, mounted at
/// `api.<env>.brainfartlab.com/quiz`, backed by Python functions, DynamoDB tables and a queue
/// for the heavy work of generating questions.
public struct QuizCraft {
    public static let environments: Set<String> = ["tst", "dev", "prd"]

    static let auth0Issuer = "https://brainfartlab.eu.auth0.com/"
    static let auth0Audience = "https://auth0-jwt-authorizer"

    public init(in app: App, platform: Platform) {
        let environment = app.environment
        let stack = Stack(in: app, "Quiz", description: "QuizCraft backend of \(environment.name): API, functions, tables and queue.")

        // As in the real ai-quiz: a player's games, newest first through the local index.
        let games = Table(
            in: stack, "Games", partitionKey: .string("PlayerId"), sortKey: .string("GameId"),
            localIndexes: [LocalSecondaryIndex(
                name: "creation-time-index", sortKey: .number("CreationTime"), projection: .include(["Keywords", "QuestionsLimit"]))])
        let questions = Table(in: stack, "Questions", partitionKey: .string("GameId"), sortKey: .string("QuestionId"))
        let playerTokens = Table(in: stack, "PlayerTokens", partitionKey: .string("Token"), timeToLive: "ExpiresAt")
        let requests = Queue(in: stack, "QuestionRequests", visibilityTimeout: 360)

        let gamesFunction = Function(
            in: stack, "GamesFunction", handler: "app.handler", code: .folder("Stacks/Functions/quiz/games"),
            environment: ["GAMES_TABLE": games.name, "PLAYER_TOKENS_TABLE": playerTokens.name],
            description: "QuizCraft games API")
        games.grantReadWrite(to: gamesFunction)
        playerTokens.grantReadWrite(to: gamesFunction)

        let questionsFunction = Function(
            in: stack, "QuestionsFunction", handler: "app.handler", code: .folder("Stacks/Functions/quiz/questions"),
            environment: ["GAMES_TABLE": games.name, "QUESTIONS_TABLE": questions.name, "QUESTION_QUEUE_URL": requests.url],
            description: "QuizCraft questions API")
        games.grantRead(to: questionsFunction)
        questions.grantReadWrite(to: questionsFunction)
        requests.grantSend(to: questionsFunction)

        // The generator calls an external AI API; its key is set once per environment with
        // `aws secretsmanager put-secret-value`, and the function gets only the secret's ARN.
        let aiApiKey = Secret(in: stack, "AiApiKey", value: .setLater, description: "API key of the AI service that writes QuizCraft questions")
        let generator = Function(
            in: stack, "QuestionGenerator", handler: "app.handler", code: .folder("Stacks/Functions/quiz/generator"),
            memorySize: 512, timeout: 60, environment: ["QUESTIONS_TABLE": questions.name, "AI_API_KEY_SECRET_ARN": aiApiKey.arn],
            description: "QuizCraft question generator (SQS consumer)")
        questions.grantReadWrite(to: generator)
        aiApiKey.grantRead(to: generator)
        requests.addConsumer(generator, batchSize: 5)

        let api = HttpApi(
            in: stack, "Api",
            cors: CorsPreflight(
                allowOrigins: ["https://quiz.\(environment.domain)"],
                allowHeaders: ["authorization", "content-type"], allowMethods: [.get, .post, .put]),
            defaultAuthorizer: .jwt(issuer: .string(Self.auth0Issuer), audiences: [.string(Self.auth0Audience)]))
        api.addRoute("GET /health", to: gamesFunction, authorization: .public)
        api.addRoute("GET /games", to: gamesFunction)
        api.addRoute("POST /games", to: gamesFunction)
        api.addRoute("GET /games/{gameId}", to: gamesFunction)
        api.addRoute("GET /games/{gameId}/questions", to: questionsFunction)
        api.addRoute("POST /games/{gameId}/questions", to: questionsFunction)
        api.addRoute("PUT /games/{gameId}/questions/{questionId}", to: questionsFunction)
        let live = api.addStage("live")
        ApiMapping(in: stack, "ApiMapping", domain: platform.apiDomain, api: api, stage: live, key: "quiz")
    }
}
