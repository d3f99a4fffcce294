import CloudFormation
import Foundation
import Synthesis

/// One generated file, relative to the environment's output folder (`out/<env>/`).
public struct OutputFile: Equatable, Sendable {
    public let path: String
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) {
        self.init(path: path, contents: Data(text.utf8))
    }
}

/// Everything `synth` writes for one environment: a template per stack, `plan.json`, `plan.md`.
public struct EnvironmentOutput: Sendable {
    public let environment: String
    public let files: [OutputFile]
    public let plan: DeployPlan

    public init(_ app: SynthesizedApp) {
        environment = app.environment.name
        plan = DeployPlan(app)
        var files = app.stacks.map { stack in
            OutputFile(path: stack.templateFileName, text: TemplateRenderer.yaml(stack.template))
        }
        for asset in Set(app.stacks.flatMap(\.assets)) {
            files.append(OutputFile(path: "assets/\(asset.key)", contents: Data(asset.archive)))
        }
        files.append(OutputFile(path: "plan.json", text: plan.json()))
        files.append(OutputFile(path: "plan.md", text: plan.markdown()))
        self.files = files.sorted { $0.path < $1.path }
    }

    public func file(_ path: String) -> OutputFile? {
        files.first { $0.path == path }
    }
}
