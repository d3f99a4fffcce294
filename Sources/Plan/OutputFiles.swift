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
        let plan = DeployPlan(app)
        self.plan = plan
        let stacks = app.stacks
        let contents = Self.render(count: stacks.count + 2) { index in
            switch index {
            case 0: plan.json()
            case 1: plan.markdown()
            default: TemplateRenderer.yaml(stacks[index - 2].template)
            }
        }
        var files = [OutputFile(path: "plan.json", contents: contents[0]), OutputFile(path: "plan.md", contents: contents[1])]
        for (index, stack) in stacks.enumerated() {
            files.append(OutputFile(path: stack.templateFileName, contents: contents[index + 2]))
        }
        for asset in Set(app.stacks.flatMap(\.assets)) {
            files.append(OutputFile(path: "assets/\(asset.key)", contents: Data(asset.archive)))
        }
        self.files = files.sorted { $0.path < $1.path }
    }

    /// `body(0)` to `body(count - 1)`, computed on every core: each template and the two plan
    /// files render on their own (rendering was half of synthesizing 10,000 resources, and it
    /// reads only values that nothing changes any more). The result does not depend on the
    /// order the work ran in. Each text becomes its file's bytes on the thread that rendered it
    /// (copying all 13 MB of the 10,000-resource benchmark on one thread, after the others were done, took 1.2% of its run).
    static func render(count: Int, _ body: (Int) -> String) -> [Data] {
        Parallel.map(count: count) { _, index in Data(body(index).utf8) }
    }

    public func file(_ path: String) -> OutputFile? {
        files.first { $0.path == path }
    }
}
