import Constructs
import Synthesis

/// The account bootstrap, rolled out from the management account to every account of the
/// environments' organisational units by a StackSet (seed 000): the asset bucket, the deploy role
/// and the CloudFormation execution role. dev and prd trust the CI/CD account, which deploys them
/// through pipelines; every environment with a pipeline (dev, prd, the 100DaysOfCloud stages) trusts
/// the CI/CD account; tst, deployed by hand, trusts nobody but itself.
public struct OrganisationBootstrap {
    public init(in app: App) {
        let organisation = app.organisation
        let template = Stack(
            in: app, "BootstrapTemplate", account: organisation.management, shared: true, templateOnly: true,
            description: "Stratus account bootstrap: asset bucket, deploy role, CloudFormation execution role.")
        let bootstrap = Bootstrap(in: template, "Bootstrap")
        let stack = Stack(
            in: app, "OrganisationBootstrap", account: organisation.management, shared: true,
            description: "The bootstrap StackSet, rolled out to every environment's organisational unit.")
        bootstrap.rollOut(
            in: stack, "StackSet", environments: app.environments,
            trust: Dictionary(uniqueKeysWithValues: app.environments.filter { $0.pipeline != nil }.map { ($0.name, [organisation.cicd.id]) }),
            // CloudFront certificates (Digidex) are issued in us-east-1, so every account needs
            // the asset bucket and deploy roles there too.
            additionalRegions: ["us-east-1"])
    }
}
