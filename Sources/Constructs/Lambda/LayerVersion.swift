import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A Lambda layer version: code shared by several functions, packaged from a folder of the
/// repository like function code.
///
/// Emits `AWS::Lambda::LayerVersion`. The folder is zipped deterministically, named by its
/// SHA-256, written to `out/<env>/assets/` and uploaded by the plan before the stack deploys, as
/// `Function(code: .folder(...))` is. Lambda unpacks a layer into `/opt`, so Python code goes in
/// `python/` and Node.js modules in `nodejs/node_modules/` inside the folder. A change to the
/// code publishes a new version (the resource is replaced) and deletes the old one; functions
/// that still use the old version keep running with it. Not stateful.
///
///     let shared = LayerVersion(in: stack, "Shared", code: "Stacks/Layers/shared",
///                               compatibleRuntimes: [.python313])
///     Function(in: stack, "Resize", handler: "app.handler", code: .folder("Stacks/Functions/resize"),
///              layers: [shared])
public final class LayerVersion: Construct {
    /// The code folder, relative to the repository root.
    public let code: String
    public let compatibleRuntimes: [Runtime]
    public let compatibleArchitectures: [Architecture]
    /// The `AWS::Lambda::LayerVersion` this construct creates, typed.
    public private(set) var resource: Lambda.LayerVersion!
    /// The packaged code folder, when it exists and has files.
    public private(set) var asset: Asset?

    /// - Parameters:
    ///   - code: A folder of the repository, relative to its root; the same rules as a function's
    ///     code folder (inside the repository, links only inside it, Lambda's size limits).
    ///   - compatibleRuntimes: The runtimes the layer's code runs on (at most 15). A function
    ///     whose runtime is not among them cannot use the layer: synth says so.
    ///   - compatibleArchitectures: The instruction sets of the layer's native code: arm64 only by
    ///     default, as functions default to arm64; list both for pure Python or JavaScript.
    ///   - description: What the layer holds; none by default.
    ///   - license: A licence identifier (SPDX, e.g. `MIT`) or URL; none by default.
    ///   - layerName: The layer's name; CloudFormation generates one from the stack by default.
    @discardableResult
    public init(
        in scope: Construct, _ id: String, code: String, compatibleRuntimes: [Runtime],
        compatibleArchitectures: [Architecture] = [.arm64], description: String? = nil, license: String? = nil,
        layerName: String? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.compatibleRuntimes = compatibleRuntimes
        self.compatibleArchitectures = compatibleArchitectures
        super.init(in: scope, id, file: file, line: line)
        asset = app.asset(folder: code, for: self)
        resource = Lambda.LayerVersion(
            in: self, "Resource",
            content: .init(s3Bucket: .value(AssetBucket.name), s3Key: Typed(asset?.key ?? "missing.zip")),
            compatibleArchitectures: compatibleArchitectures.isEmpty ? nil : List(compatibleArchitectures.map { Typed(rawString: $0.rawValue) }),
            compatibleRuntimes: compatibleRuntimes.isEmpty ? nil : List(compatibleRuntimes.map { Typed(rawString: $0.rawValue) }),
            description: description.map { Typed($0) },
            layerName: layerName.map { Typed($0) },
            licenseInfo: license.map { Typed($0) },
            file: file, line: line)
    }

    /// The layer version's ARN (`arn:...:layer:<name>:<version>`), what a function lists.
    public var arn: Value { resource.ref("Arn") }

    public override func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if compatibleRuntimes.isEmpty {
            problems.append(.construct(self, "layer lists no compatible runtimes", hint: "name the runtimes its code runs on, e.g. compatibleRuntimes: [.python313]"))
        } else if compatibleRuntimes.count > 15 {
            problems.append(.construct(self, "layer lists \(compatibleRuntimes.count) compatible runtimes; Lambda accepts at most 15", hint: "list only the runtimes its functions use"))
        }
        if compatibleArchitectures.isEmpty {
            problems.append(.construct(self, "layer lists no compatible architectures", hint: "name the instruction sets its code runs on: [.arm64], [.x86_64] or both"))
        }
        return problems
    }
}
