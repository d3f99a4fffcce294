import CloudFormation

/// A value one stack takes from another: the consumer's Parameter `parameter` is filled by the
/// deploy plan from the Output `output` of the already deployed stack `producerStack`.
/// Where an Output of a stack comes from: a resource's `Ref` or one of its attributes. The deploy
/// plan reads Outputs; knowing the source lets it fall back to reading the resource itself.
public struct OutputSource: Hashable, Sendable, Codable {
    public let output: String
    public let logicalId: String
    public let resourceType: String
    /// nil for `Ref`.
    public let attribute: String?
    public let isList: Bool
}

public struct StackInput: Hashable, Sendable, Codable {
    public let parameter: String
    public let producerStack: String
    public let output: String

    public init(parameter: String, producerStack: String, output: String) {
        self.parameter = parameter
        self.producerStack = producerStack
        self.output = output
    }
}

/// One stack after synthesis: its resolved template and where its parameters come from.
public struct SynthesizedStack {
    public let id: String
    public let stackName: String
    public let account: Account
    public let region: String
    public let isShared: Bool
    /// A template embedded elsewhere (a StackSet's), not deployed as a stack.
    public let isTemplateOnly: Bool
    /// The construct path below the app: `Dns`.
    public let path: String
    public let template: Template
    /// Parameters fed from other stacks' Outputs, sorted by parameter name.
    public let inputs: [StackInput]
    /// Stacks that must be deployed first, in deploy order.
    public let dependencies: [String]
    /// Code assets the stack uses, sorted by hash.
    public let assets: [Asset]
    /// The sources of the stack's Outputs, sorted by output name.
    public let outputSources: [OutputSource]
    /// The security decisions of the stack's resources, in template order.
    public let securityDecisions: [SecurityDecisionRecord]

    public var templateFileName: String { "\(stackName).template.yaml" }
}

/// The result of synthesizing one environment: stacks in a valid deploy order.
public struct SynthesizedApp {
    public let environment: Environment
    public let organisation: Organisation
    public let stacks: [SynthesizedStack]
    public let reviewFacts: [ReviewFact]
    /// Warnings found on the way, sorted: printed, they do not stop synthesis.
    public let warnings: [Diagnostic]

    public init(environment: Environment, organisation: Organisation, stacks: [SynthesizedStack], reviewFacts: [ReviewFact], warnings: [Diagnostic] = []) {
        self.environment = environment
        self.organisation = organisation
        self.stacks = stacks
        self.reviewFacts = reviewFacts
        self.warnings = warnings
    }

    public var delegations: [Delegation] {
        reviewFacts.compactMap { if case .delegation(let delegation) = $0 { delegation } else { nil } }
    }

    public var stackSets: [StackSetFact] {
        reviewFacts.compactMap { if case .stackSet(let fact) = $0 { fact } else { nil } }
    }

    public var pipelines: [PipelineFact] {
        reviewFacts.compactMap { if case .pipeline(let fact) = $0 { fact } else { nil } }
    }

    public var trusts: [TrustFact] {
        reviewFacts.compactMap { if case .trust(let fact) = $0 { fact } else { nil } }
    }

    public func stack(named name: String) -> SynthesizedStack? {
        stacks.first { $0.stackName == name }
    }
}

/// Turns a construct tree into resolved templates.
///
/// References between resources become `!Ref`/`!GetAtt` inside a stack. Across stacks (same
/// account or not, same region or not) the producer gains an Output and the consumer a Parameter,
/// and the consumer's deploy step reads the Output of the producer's step: one mechanism, no
/// `Fn::ImportValue`. Stacks are ordered so that every producer deploys before its consumers; a
/// cycle is an error that names it.
public enum Synthesizer {
    /// - Parameter validator: Checks every resource against the registry schemas and looks for
    ///   reference cycles in each stack; pass one validator to several calls to parse each type's
    ///   schema once. nil skips both (the benchmark times them on their own).
    public static func synthesize(_ app: App, validator: SchemaValidator? = SchemaValidator()) throws -> SynthesizedApp {
        var state = State(app: app)
        state.collect()
        state.assignLogicalIds()
        // Template-only stacks first: other stacks embed their rendered templates.
        let stacks = state.stacks.filter(\.isTemplateOnly) + state.stacks.filter { !$0.isTemplateOnly }
        var resolved: [[(logicalId: String, resource: Resource)]] = Array(repeating: [], count: stacks.count)
        for stack in stacks {
            let index = state.index[ObjectIdentifier(stack)]!
            resolved[index] = state.resolve(stack)
            if stack.isTemplateOnly {
                state.renderedTemplates[ObjectIdentifier(stack)] = TemplateRenderer.yaml(state.template(for: stack, resources: resolved[index]))
            }
        }
        if let validator, SchemaValidator.hasData {
            let elapsed = ContinuousClock().measure {
                let templates = stacks.map { state.template(for: $0, resources: resolved[state.index[ObjectIdentifier($0)]!]) }
                for (stack, checked) in zip(stacks, validator.check(templates)) { state.report(checked, of: stack) }
            }
            validator.seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        } else if validator != nil {
            state.problems.append(Diagnostic(
                "the registry schema data that validates templates is missing",
                hint: "run synth where it was built from (it reads Sources/L1/Schemas/Data of that checkout), or set STRATUS_SCHEMA_DATA to such a folder"))
        }
        let order = state.deployOrder()
        let errors = state.problems.filter { !$0.isWarning }
        if !errors.isEmpty { throw DiagnosticError(errors) }

        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { (ObjectIdentifier($1), $0) })
        let synthesized = order.map { stack -> SynthesizedStack in
            let key = ObjectIdentifier(stack)
            let inputs = state.inputs[key, default: [:]].values.map(\.input).sorted { $0.parameter < $1.parameter }
            let dependencies = state.edges[key, default: [:]].keys
                .sorted { position[$0]! < position[$1]! }
                .map { state.stackById[$0]!.stackName }
            return SynthesizedStack(
                id: stack.id, stackName: stack.stackName, account: stack.account, region: stack.region,
                isShared: stack.isShared, isTemplateOnly: stack.isTemplateOnly, path: stack.relativePath, template: state.template(for: stack, resources: resolved[state.index[key]!]),
                inputs: inputs, dependencies: dependencies, assets: stack.usedAssets.sorted { $0.hash < $1.hash },
                outputSources: state.outputSources[key, default: []].sorted { $0.output < $1.output },
                securityDecisions: state.resourcesByStack[key, default: []].flatMap { resource in
                    resource.securityDecisions.map { decision in
                        SecurityDecisionRecord(
                            stack: stack.stackName, logicalId: state.logicalIds[ObjectIdentifier(resource)] ?? resource.id, type: resource.type,
                            check: decision.check, decision: decision.kind, reason: decision.reason)
                    }
                })
        }
        return SynthesizedApp(
            environment: app.environment, organisation: app.organisation, stacks: synthesized,
            reviewFacts: app.reviewFacts, warnings: DiagnosticError(state.problems.filter(\.isWarning)).diagnostics)
    }
}

private struct State {
    let app: App
    var problems: [Diagnostic]
    var stacks: [Stack] = []
    var index: [ObjectIdentifier: Int] = [:]
    var stackById: [ObjectIdentifier: Stack] = [:]
    var resourcesByStack: [ObjectIdentifier: [CfnResource]] = [:]
    var logicalIds: [ObjectIdentifier: String] = [:]
    var stackOfResource: [ObjectIdentifier: Stack] = [:]
    /// Per producer stack: output name by (resource, attribute), and the outputs in creation order.
    var outputNames: [ObjectIdentifier: [String: String]] = [:]
    var outputs: [ObjectIdentifier: [String: Output]] = [:]
    /// Per consumer stack: parameter name -> (parameter, input).
    var inputs: [ObjectIdentifier: [String: (parameter: Parameter, input: StackInput)]] = [:]
    /// consumer -> producer -> why (for cycle messages).
    var edges: [ObjectIdentifier: [ObjectIdentifier: String]] = [:]
    var outputSources: [ObjectIdentifier: [OutputSource]] = [:]
    /// Constructs whose own validation failed: the schema problems of their resources are
    /// consequences of the same mistake, so only the construct's message is printed.
    var constructsWithProblems = Set<ObjectIdentifier>()
    /// Rendered templates of template-only stacks, for embedding.
    var renderedTemplates: [ObjectIdentifier: String] = [:]

    init(app: App) {
        self.app = app
        self.problems = app.diagnostics
    }

    mutating func collect() {
        var names: [String: Stack] = [:]
        var found: [Construct] = []
        app.walk { found.append($0) }
        for construct in found {
            let own = construct.validate()
            if own.contains(where: { !$0.isWarning }) { constructsWithProblems.insert(ObjectIdentifier(construct)) }
            problems += own
            if let stack = construct as? Stack {
                if let other = names[stack.stackName] {
                    problems.append(.duplicateStackName(stack.stackName, stack, other))
                } else {
                    names[stack.stackName] = stack
                }
                index[ObjectIdentifier(stack)] = stacks.count
                stackById[ObjectIdentifier(stack)] = stack
                stacks.append(stack)
            } else if let resource = construct as? CfnResource, let stack = resource.stack {
                resourcesByStack[ObjectIdentifier(stack), default: []].append(resource)
                stackOfResource[ObjectIdentifier(resource)] = stack
            }
        }
    }

    mutating func assignLogicalIds() {
        for stack in stacks {
            let count = resourcesByStack[ObjectIdentifier(stack), default: []].count
            if count > 500 {
                problems.append(.construct(stack, "stack has \(count) resources; CloudFormation allows 500 per template", hint: "split it into several stacks"))
            }
            var seen: [String: CfnResource] = [:]
            let declared = Set(stack.parameters.map(\.name))
            for resource in resourcesByStack[ObjectIdentifier(stack), default: []] {
                let logicalId = LogicalIds.logicalId(for: resource)
                if let other = seen[logicalId] {
                    problems.append(.duplicateLogicalId(logicalId, resource, other))
                } else if declared.contains(logicalId) {
                    problems.append(.construct(resource, "logical id '\(logicalId)' is also the name of a parameter of \(stack.stackName)", hint: "rename the parameter or the construct"))
                } else {
                    seen[logicalId] = resource
                }
                logicalIds[ObjectIdentifier(resource)] = logicalId
            }
        }
    }

    /// Resolves every token of every resource in `stack`.
    mutating func resolve(_ stack: Stack) -> [(logicalId: String, resource: Resource)] {
        var result: [(logicalId: String, resource: Resource)] = []
        for resource in resourcesByStack[ObjectIdentifier(stack), default: []] {
            let properties = resource.renderedProperties().mapValues { value in
                value.resolvingTokens { token in self.resolve(token, from: resource, in: stack) }.inliningSubVariables()
            }
            var metadata = resource.metadata?.mapValues { value in
                value.resolvingTokens { token in self.resolve(token, from: resource, in: stack) }
            }
            if let checkov = SecurityDecision.checkovMetadata(resource.securityDecisions) {
                var merged = metadata ?? Object()
                merged["checkov"] = checkov
                metadata = merged
            }
            var dependsOn: [String] = []
            for dependency in resource.dependsOn {
                guard let producer = stackOfResource[ObjectIdentifier(dependency)],
                    let logicalId = logicalIds[ObjectIdentifier(dependency)]
                else {
                    if !dependency.followsFromIdError { problems.append(.referenceOutsideApp(resource, dependency.path)) }
                    continue
                }
                if producer === stack {
                    if !dependsOn.contains(logicalId) { dependsOn.append(logicalId) }
                } else {
                    addEdge(from: stack, to: producer, because: "\(resource.owner.relativePath) depends on \(dependency.owner.relativePath)")
                }
            }
            result.append((
                logicalIds[ObjectIdentifier(resource)]!,
                Resource(
                    type: resource.type, properties: properties, dependsOn: dependsOn, condition: resource.condition,
                    metadata: metadata,
                    deletionPolicy: resource.deletionPolicy, updateReplacePolicy: resource.updateReplacePolicy)
            ))
        }
        return result
    }

    private mutating func resolve(_ token: any Token, from consumer: CfnResource, in stack: Stack) -> Value {
        if let body = token as? TemplateBody {
            guard body.stack.isTemplateOnly, let rendered = renderedTemplates[ObjectIdentifier(body.stack)] else {
                problems.append(.construct(consumer, "embeds the template of \(body.stack.path), which is not a template-only stack", hint: "create that stack with templateOnly: true"))
                return .string("")
            }
            return .string(rendered)
        }
        guard let reference = token as? ResourceReference else {
            problems.append(.unplaceableToken(consumer, token.displayName))
            return .string("")
        }
        let producer = reference.resource
        guard let producerStack = stackOfResource[ObjectIdentifier(producer)],
            let logicalId = logicalIds[ObjectIdentifier(producer)]
        else {
            if !producer.followsFromIdError { problems.append(.referenceOutsideApp(consumer, producer.path)) }
            return .string("")
        }
        let local: Value = reference.attribute.map { .getAtt(logicalId, $0) } ?? .ref(logicalId)
        if producerStack === stack { return local }

        if stack.isTemplateOnly || producerStack.isTemplateOnly {
            problems.append(.construct(
                consumer, "uses \(producer.owner.relativePath) across a template-only stack boundary (\(producerStack.stackName) -> \(stack.stackName))",
                hint: "a StackSet's template is deployed to other accounts; give it parameters instead of references"))
            return .string("")
        }
        if stack.isShared && !producerStack.isShared {
            problems.append(.sharedStackUsesEnvironmentValue(consumer, stack: stack, value: producer.relativePath, producerStack: producerStack))
        }
        let outputName = output(for: reference, logicalId: logicalId, local: local, in: producerStack)
        let parameterName = LogicalIds.pascalCase(producerStack.id) + outputName
        let key = ObjectIdentifier(stack)
        let input = StackInput(parameter: parameterName, producerStack: producerStack.stackName, output: outputName)
        if let existing = inputs[key]?[parameterName] {
            if existing.input != input {
                problems.append(.parameterNameClash(parameterName, stack: stack, existing.input.producerStack, input.producerStack))
            }
        } else {
            let where_ = "\(producerStack.stackName) (\(producerStack.account.name) \(producerStack.account.id), \(producerStack.region))"
            let parameter = Parameter(
                type: reference.isList ? .commaDelimitedList : .string,
                description: "\(reference.name) of \(producer.owner.relativePath) from stack \(where_); filled in by the deploy plan")
            inputs[key, default: [:]][parameterName] = (parameter, input)
        }
        addEdge(from: stack, to: producerStack, because: "\(consumer.owner.relativePath) uses \(producer.owner.relativePath).\(reference.name)")
        return .ref(parameterName)
    }

    private mutating func output(for reference: ResourceReference, logicalId: String, local: Value, in producerStack: Stack) -> String {
        let key = ObjectIdentifier(producerStack)
        let linkKey = "\(logicalId)\u{0}\(reference.attribute ?? "")"
        if let name = outputNames[key]?[linkKey] { return name }
        let base = logicalId + LogicalIds.pascalCase(reference.name)
        var name = base
        var counter = 2
        while outputs[key]?[name] != nil {
            name = "\(base)\(counter)"
            counter += 1
        }
        outputNames[key, default: [:]][linkKey] = name
        outputSources[key, default: []].append(OutputSource(
            output: name, logicalId: logicalId, resourceType: reference.resource.type, attribute: reference.attribute, isList: reference.isList))
        let value: Value = reference.isList ? .join(",", local) : local
        let source = reference.resource.owner.relativePath
        outputs[key, default: [:]][name] = Output(value: value, description: "\(reference.name) of \(source), read by the deploy plan")
        return name
    }

    private mutating func addEdge(from consumer: Stack, to producer: Stack, because reason: String) {
        let key = ObjectIdentifier(consumer)
        if edges[key]?[ObjectIdentifier(producer)] == nil {
            edges[key, default: [:]][ObjectIdentifier(producer)] = reason
        }
    }

    /// Stacks in creation order, moved only as far as their dependencies require.
    mutating func deployOrder() -> [Stack] {
        var placed = Set<ObjectIdentifier>()
        var order: [Stack] = []
        var remaining = stacks
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { stack in
                edges[ObjectIdentifier(stack), default: [:]].keys.allSatisfy(placed.contains)
            }) else {
                problems.append(cycle(among: remaining))
                return order + remaining
            }
            let stack = remaining.remove(at: next)
            placed.insert(ObjectIdentifier(stack))
            order.append(stack)
        }
        return order
    }

    private func cycle(among remaining: [Stack]) -> Diagnostic {
        let open = Set(remaining.map(ObjectIdentifier.init))
        var path: [ObjectIdentifier] = []
        var current = ObjectIdentifier(remaining[0])
        while !path.contains(current) {
            path.append(current)
            let producers = edges[current, default: [:]].keys.filter(open.contains)
            current = producers.min { index[$0]! < index[$1]! }!
        }
        let loop = Array(path[path.firstIndex(of: current)!...])
        let names = (loop + [loop[0]]).map { stackById[$0]!.stackName }
        let reasons = zip(loop, loop.dropFirst() + [loop[0]]).map { edges[$0]![$1]! }
        return .stackCycle(names, reasons: reasons, at: stackById[loop[0]]!)
    }

    /// A stack's schema problems, and a reference cycle inside it, as diagnostics at the lines of
    /// Stacks/ that created the resources.
    mutating func report(_ checked: SchemaValidator.Checked, of stack: Stack) {
        guard !checked.problems.isEmpty || checked.cycle != nil else { return }
        var owners: [String: CfnResource] = [:]
        for resource in resourcesByStack[ObjectIdentifier(stack), default: []] {
            if let logicalId = logicalIds[ObjectIdentifier(resource)], owners[logicalId] == nil { owners[logicalId] = resource }
        }
        for (logicalId, problem) in checked.problems {
            guard let resource = owners[logicalId], !hasReportedProblems(resource) else { continue }
            problems.append(.construct(resource.owner, problem.message, hint: problem.hint).at(resource.location))
        }
        if let cycle = checked.cycle, let resource = owners[cycle[0].from] {
            problems.append(.resourceCycle(cycle, stackName: stack.stackName, at: resource))
        }
    }

    /// True when the resource or a construct above it already reported its own problems.
    func hasReportedProblems(_ resource: CfnResource) -> Bool {
        var node: Construct? = resource
        while let current = node {
            if constructsWithProblems.contains(ObjectIdentifier(current)) { return true }
            node = current.parent
        }
        return false
    }

    func template(for stack: Stack, resources: [(logicalId: String, resource: Resource)]) -> Template {
        let key = ObjectIdentifier(stack)
        var template = Template(
            description: stack.templateDescription
                ?? "Stack \(stack.stackName), generated by Stratus from Stacks/. Do not edit; run swift run synth.")
        template.parameters = (inputs[key, default: [:]].map { ($0.key, $0.value.parameter) } + stack.parameters).sorted { $0.name < $1.name }
        template.conditions = stack.conditions
        template.resources = resources
        template.outputs = outputs[key, default: [:]].map { ($0.key, $0.value) }.sorted { $0.name < $1.name }
        return template
    }
}

extension Diagnostic {
    static func duplicateStackName(_ name: String, _ stack: Stack, _ other: Stack) -> Diagnostic {
        .construct(stack, "stack name '\(name)' is already used by \(other.path) (\(other.location))", hint: "give one of the stacks another id")
    }

    static func duplicateLogicalId(_ logicalId: String, _ resource: CfnResource, _ other: CfnResource) -> Diagnostic {
        Diagnostic(
            "logical id '\(logicalId)' is used by \(other.path) and \(resource.path)", at: resource.location,
            hint: "rename one construct id, or pin one with overrideLogicalId(_:)")
    }

    static func referenceOutsideApp(_ consumer: Construct, _ target: String) -> Diagnostic {
        .construct(consumer, "refers to \(target), which is not part of the app", hint: "was that construct's id a duplicate? fix the first error first")
    }

    static func unplaceableToken(_ consumer: Construct, _ name: String) -> Diagnostic {
        .construct(consumer, "uses \(name), which is not a resource reference Stratus can place", hint: "use an attribute of a construct, such as zone.zoneId")
    }

    static func sharedStackUsesEnvironmentValue(_ consumer: Construct, stack: Stack, value: String, producerStack: Stack) -> Diagnostic {
        .construct(
            consumer, "shared stack \(stack.stackName) uses \(value) from environment stack \(producerStack.stackName)",
            hint: "a shared stack is the same in every environment; move the consumer into an environment stack")
    }

    static func parameterNameClash(_ name: String, stack: Stack, _ first: String, _ second: String) -> Diagnostic {
        .construct(stack, "parameter '\(name)' would carry values from both \(first) and \(second)", hint: "give the producing stacks distinct ids")
    }

    static func stackCycle(_ names: [String], reasons: [String], at stack: Stack) -> Diagnostic {
        Diagnostic(
            "stacks depend on each other in a cycle: \(names.joined(separator: " -> ")) (\(reasons.joined(separator: "; ")))",
            at: stack.location,
            hint: "move one of these resources into another stack so that values flow one way")
    }
}
