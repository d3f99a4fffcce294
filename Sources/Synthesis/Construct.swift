import CloudFormation

/// A node of the construct tree. Every construct is created inside a scope (its parent) with an id
/// that is unique among its siblings; its path (`dev/Dns/Zone`) names it in messages, and the part
/// of the path below its stack becomes the logical id of the resources it defines.
///
/// Subclasses pass `file` and `line` through from their own initializers (`#fileID`, `#line`), so a
/// diagnostic about a construct points at the line of `Stacks/` that created it.
open class Construct {
    public let id: String
    public private(set) weak var parent: Construct?
    public private(set) var children: [Construct] = []
    /// Where the construct was created: `Stacks/Quiz.swift:18`.
    public let location: SourceLocation
    private var childIndex: [String: Int] = [:]
    /// Kept out of the tree because its id was invalid or taken (already reported).
    private var isRejected = false

    /// Whether this construct, or one above it, was kept out of the tree by an id error: a
    /// reference to it follows from that error and is not reported again.
    var followsFromIdError: Bool {
        var current: Construct? = self
        while let construct = current {
            if construct.isRejected { return true }
            if construct is App { return false }
            current = construct.parent
        }
        return true
    }

    public init(in scope: Construct, _ id: String, file: String = #fileID, line: Int = #line) {
        self.id = id
        self.location = SourceLocation(file: file, line: line)
        self.parent = scope
        if id.isEmpty || id.utf8.contains(0x2F) {  // '/', as a byte: contains("/") is NSString's on Linux
            scope.report(.invalidConstructId(id, in: scope, at: location))
            isRejected = true
            return
        }
        if let existing = scope.childIndex[id] {
            scope.report(.duplicateConstructId(id, in: scope, first: scope.children[existing].location, at: location))
            isRejected = true
            return
        }
        scope.childIndex[id] = scope.children.count
        scope.children.append(self)
    }

    /// The root of a tree (the `App`).
    init(root id: String, file: String, line: Int) {
        self.id = id
        self.location = SourceLocation(file: file, line: line)
        self.parent = nil
    }

    /// Ids from the root down to this construct, joined by `/`: `dev/Dns/Zone`.
    public var path: String {
        var ids: [String] = [id]
        var node = parent
        while let current = node {
            ids.append(current.id)
            node = current.parent
        }
        return ids.reversed().joined(separator: "/")
    }

    /// The path below the app, without the environment: `Dns/Zone`. Use it in template text, which
    /// must not change between environments for shared stacks.
    public var relativePath: String {
        let full = path
        guard let slash = full.firstIndex(of: "/") else { return "" }
        return String(full[full.index(after: slash)...])
    }

    /// The root of the tree.
    public var app: App {
        var node: Construct = self
        while let parent = node.parent { node = parent }
        guard let app = node as? App else { preconditionFailure("construct \(path) is not inside an App") }
        return app
    }

    /// The nearest stack at or above this construct, or nil for the app and constructs outside stacks.
    public var stack: Stack? {
        var node: Construct? = self
        while let current = node {
            if let stack = current as? Stack { return stack }
            node = current.parent
        }
        return nil
    }

    /// The child with this id, if any.
    public func child(_ id: String) -> Construct? {
        childIndex[id].map { children[$0] }
    }

    /// Records a problem; synthesis stops with all recorded problems, sorted.
    public func report(_ diagnostic: Diagnostic) {
        app.diagnostics.append(diagnostic)
    }

    /// Checks that can only run once the whole tree exists. Called by synthesis, children first.
    /// Warnings (`Diagnostic.constructWarning`) among them are printed without stopping synthesis.
    open func validate() -> [Diagnostic] { [] }

    /// Calls `body` for this construct and every construct below it, parents before children,
    /// siblings in creation order.
    public func walk(_ body: (Construct) -> Void) {
        body(self)
        for child in children { child.walk(body) }
    }
}

extension Diagnostic {
    /// A problem with a construct: the location is the line that created it, and the message
    /// starts with its path.
    public static func construct(_ construct: Construct, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic("\(construct.path): \(message)", at: construct.location, hint: hint)
    }

    /// A warning about `construct`: printed, and synthesis goes on.
    public static func constructWarning(_ construct: Construct, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic("\(construct.path): \(message)", at: construct.location, hint: hint, severity: .warning)
    }

    /// The same diagnostic, pointing at `location`.
    public func at(_ location: SourceLocation) -> Diagnostic {
        var copy = self
        copy.location = location
        return copy
    }

    static func invalidConstructId(_ id: String, in scope: Construct, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "\(scope.path): construct id '\(id)' must be non-empty and must not contain '/'", at: location,
            hint: "use a short PascalCase name such as 'Zone'")
    }

    static func duplicateConstructId(_ id: String, in scope: Construct, first: SourceLocation, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "\(scope.path)/\(id): construct id '\(id)' is already used in \(scope.path) (first at \(first))", at: location,
            hint: "ids must be unique among siblings; rename one of them")
    }
}
