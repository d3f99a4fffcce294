import CloudFormation
import Foundation
import Plan
import Synthesis

/// The repository synth works in: its environment files and its `out/` folder.
struct Workspace {
    let root: URL
    let catalog: EnvironmentCatalog
    /// Adds the stacks and constructs to each environment's app: what the package passed to
    /// ``StratusCLI/main(define:)``.
    let define: (App) -> Void
    /// One validator for every environment, so each schema is parsed once; it also keeps the time
    /// validation took.
    let validator = SchemaValidator()

    init(_ options: CommonOptions, define: @escaping (App) -> Void = StratusCLI.definition) throws {
        self.define = define
        let path = options.root ?? FileManager.default.currentDirectoryPath
        if let given = options.root {
            switch FileSystem.resolvedKind(given) {
            case .success(.directory): break
            case .success(.missing): throw DiagnosticError(.badRoot(given, "it does not exist"))
            case .success: throw DiagnosticError(.badRoot(given, "it is not a folder"))
            case .failure(let problem): throw DiagnosticError(.badRoot(given, problem.description))
            }
        }
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        catalog = try EnvironmentCatalog(root: root)
    }

    var outDirectory: URL { root.appendingPathComponent("out", isDirectory: true) }

    /// Loads every environment, builds its construct tree from `Stacks/`, synthesizes it and
    /// renders its files; returns the named ones. Collects the problems of every environment
    /// (and names two of them would both create) before failing.
    func synthesize(_ names: [String]) throws -> [(app: SynthesizedApp, output: EnvironmentOutput)] {
        let organisation = try catalog.organisation()
        for name in names where !catalog.names.contains(name) {
            throw DiagnosticError(.unknownEnvironment(name, known: catalog.names, folder: EnvironmentCatalog.folder))
        }
        // Organisation-wide stacks (the bootstrap StackSet) need every environment, and names that
        // two environments would both create are only seen with all of them: synthesize all.
        let environments = try catalog.environments(organisation: organisation)
        var problems: [Diagnostic] = []
        var results: [(app: SynthesizedApp, output: EnvironmentOutput)] = []
        for name in catalog.names {
            do {
                let environment = environments.first { $0.name == name }!
                let app = App(environment: environment, organisation: organisation, environments: environments, rootDirectory: root)
                define(app)
                let synthesized = try Synthesizer.synthesize(app, validator: validator)
                results.append((synthesized, EnvironmentOutput(synthesized)))
            } catch let error as DiagnosticError {
                problems += error.diagnostics
            }
        }
        problems += Self.sharedStackDrift(results.map(\.output))
        problems += Self.oversizedTemplates(results.map(\.output))
        problems += PhysicalNames.collisions(results.map(\.app))
        if !problems.isEmpty { throw DiagnosticError(Self.foldedAcrossEnvironments(problems.map(relocated), names: catalog.names)) }
        // Warnings do not stop synthesis: each is printed once, naming the other environments it is found in.
        let warnings = Self.foldedAcrossEnvironments(results.flatMap(\.app.warnings).map(relocated), names: catalog.names)
        if !warnings.isEmpty {
            FileHandle.standardError.write(Data((DiagnosticError(warnings).diagnostics.map(\.description).joined(separator: "\n") + "\n").utf8))
        }
        return results.filter { names.contains($0.output.environment) }
            .sorted { names.firstIndex(of: $0.output.environment)! < names.firstIndex(of: $1.output.environment)! }
    }

    /// Constructs record `#fileID`, `<module>/<file>.swift`, which is the path below the root
    /// when the target is named like its folder (`Stacks`). A package whose target has another
    /// name (`Infrastructure` at path `Stacks`) gets the file's real path, found under `Stacks/`
    /// or `Sources/<module>/`.
    func relocated(_ diagnostic: Diagnostic) -> Diagnostic {
        guard var location = diagnostic.location, location.line != nil,
              location.file.hasSuffix(".swift"), !FileManager.default.fileExists(atPath: root.appendingPathComponent(location.file).path)
        else { return diagnostic }
        let parts = location.file.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return diagnostic }
        for candidate in ["Stacks/\(parts[1])", "Sources/\(parts[0])/\(parts[1])"]
        where FileManager.default.fileExists(atPath: root.appendingPathComponent(candidate).path) {
            location.file = candidate
            var moved = diagnostic
            moved.location = location
            return moved
        }
        return diagnostic
    }

    /// The same problem found in every environment's tree (`dev/Quiz/Fn: ...`, `prd/Quiz/Fn: ...`,
    /// from one line of `Stacks/`) is reported once, naming the other environments.
    static func foldedAcrossEnvironments(_ problems: [Diagnostic], names: [String]) -> [Diagnostic] {
        struct Key: Hashable {
            let location: SourceLocation?
            let rest: String
            let hint: String?
        }
        var order: [Key] = []
        var groups: [Key: (first: Diagnostic, environments: [String])] = [:]
        var others: [Diagnostic] = []
        for problem in problems {
            guard let environment = names.first(where: { problem.message.hasPrefix("\($0)/") }) else {
                others.append(problem)
                continue
            }
            let key = Key(location: problem.location, rest: String(problem.message.dropFirst(environment.count)), hint: problem.hint)
            if groups[key] == nil {
                order.append(key)
                groups[key] = (problem, [])
            } else if !groups[key]!.environments.contains(environment) {
                groups[key]!.environments.append(environment)
            }
        }
        return others + order.map { key in
            let group = groups[key]!
            guard !group.environments.isEmpty else { return group.first }
            var folded = group.first
            folded.message += " (also in \(group.environments.joined(separator: ", ")))"
            return folded
        }
    }

    /// CloudFormation takes templates of up to 51,200 bytes inline and up to 1 MB from S3: a larger
    /// stack template deploys through the bootstrap's asset bucket of its account and region, so
    /// it is refused only above 1 MB, or above 51,200 bytes where there is no asset bucket. A
    /// StackSet's template is embedded as its TemplateBody, which takes at most 51,200 bytes.
    static func oversizedTemplates(_ outputs: [EnvironmentOutput]) -> [Diagnostic] {
        outputs.flatMap { output in
            output.files.filter { $0.path.hasSuffix(".template.yaml") }.compactMap { file -> Diagnostic? in
                let size = file.contents.count
                guard size > DeployPlan.inlineTemplateLimit else { return nil }
                let step = output.plan.stackSteps.first { $0.template == file.path }
                let problem: String
                if step == nil {
                    problem = "is \(size) bytes; a StackSet's TemplateBody takes at most 51200"
                } else if size > DeployPlan.s3TemplateLimit {
                    problem = "is \(size) bytes; CloudFormation takes at most 1048576 (1 MB), even from S3"
                } else if step?.assetBucket == nil {
                    problem = "is \(size) bytes, over the 51200 CloudFormation takes inline, and account \(step?.account.name ?? "?") has no bootstrap asset bucket in \(step?.region ?? "?") to send it through"
                } else {
                    return nil
                }
                return Diagnostic(
                    "template \(file.path) of \(output.environment) \(problem)",
                    at: SourceLocation(file: "Stacks/"), hint: "split the stack in two (values flow between stacks through the plan)")
            }
        }
    }

    /// A shared stack must render to the same template in every environment; otherwise two
    /// environments would fight over one stack.
    static func sharedStackDrift(_ outputs: [EnvironmentOutput]) -> [Diagnostic] {
        var first: [String: (environment: String, contents: Data)] = [:]
        var problems: [Diagnostic] = []
        for output in outputs {
            for step in output.plan.stackSteps where step.shared == true {
                guard let template = step.template, let file = output.file(template) else { continue }
                if let seen = first[template] {
                    if seen.contents != file.contents {
                        problems.append(Diagnostic(
                            "shared stack \(step.id) differs between environments \(seen.environment) and \(output.environment)",
                            at: SourceLocation(file: "Stacks/"),
                            hint: "a shared stack must not depend on the environment; make it an environment stack or remove the difference"))
                    }
                } else {
                    first[template] = (output.environment, file.contents)
                }
            }
        }
        return problems
    }
}

extension Diagnostic {
    static func badRoot(_ path: String, _ problem: String) -> Diagnostic {
        Diagnostic("cannot use --root '\(path)': \(problem)", hint: "pass the repository folder, the one that holds Environments/ and Stacks/")
    }
}
