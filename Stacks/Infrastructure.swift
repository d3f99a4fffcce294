import Constructs
import Synthesis

/// The organisation's infrastructure for one environment. `synth` calls this once per
/// environment with an empty app; everything it adds is synthesized into `out/<env>/`.
public enum Infrastructure {
    public static func define(in app: App) {
        _ = OrganisationBootstrap(in: app)
        let dns = DNS(in: app)
        let platform = Platform(in: app, zone: dns.zone)
        if QuizCraft.environments.contains(app.environment.name) {
            _ = QuizCraft(in: app, platform: platform)
        }
        if Digidex.environments.contains(app.environment.name) {
            _ = Digidex(in: app, platform: platform)
        }
        if Resume.environments.contains(app.environment.name) {
            _ = Resume(in: app, dns: dns)
        }
        if Weather.environments.contains(app.environment.name) {
            _ = Weather(in: app, platform: platform)
        }
        if HundredDaysOfCloud.environments.contains(app.environment.name) {
            _ = HundredDaysOfCloud(in: app)
        }
        _ = Delivery(in: app)
    }
}
