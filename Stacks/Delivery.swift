import Constructs
import Synthesis

/// The environment's delivery pipeline, in the cicd account, when its file names a repository
/// and branch (seeds 000 and 002): a push to the branch runs `synth check` and deploys the
/// environment's plan into its account with the bootstrap deploy role.
public struct Delivery {
    public init(in app: App) {
        let environment = app.environment
        guard let settings = environment.pipeline else { return }
        let stack = Stack(
            in: app, "Delivery", account: app.organisation.cicd,
            description: "Delivery pipeline of \(environment.name): \(settings.repository) branch \(settings.branch).")
        Pipeline(
            in: stack, "Pipeline", environment: environment, connection: app.organisation.sourceConnection ?? "",
            repository: settings.repository, branch: settings.branch)
    }
}
