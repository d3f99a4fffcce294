import CloudFormation

/// What a construct decided about one security scanner check on one of its resources, and why.
///
/// A construct records each decision on the resource it is about, in the one place that knows the
/// reason (`resource.justify("CKV_AWS_117", because: "...")`). Synthesis writes a justified
/// decision into the resource's `Metadata` in checkov's own format, so the scanner reports the
/// check as skipped with the reason:
///
///     Metadata:
///       checkov:
///         skip:
///           - id: CKV_AWS_117
///             comment: "Not in a VPC: the function calls only AWS APIs, ..."
///
/// and the plan lists every decision in its "Security decisions" table. A decision names one
/// check on one resource; there is no blanket skip.
public struct SecurityDecision: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        /// The check fails on purpose, for the reason given: written to checkov's skip list.
        case justified
        /// An option that costs money is on because the environment is production; the check passes.
        case enabled
    }

    /// The scanner's check id, e.g. `CKV_AWS_117`.
    public let check: String
    public let kind: Kind
    /// At least one full sentence a reviewer can verify.
    public let reason: String

    public init(check: String, kind: Kind, reason: String) {
        self.check = check
        self.kind = kind
        self.reason = reason
    }

    /// The shortest reason accepted: a sentence, not a word.
    public static let minimumReasonLength = 40

    /// checkov's `Metadata` for `decisions`: `{checkov: {skip: [{id, comment}]}}`, the justified ones in order.
    public static func checkovMetadata(_ decisions: [SecurityDecision]) -> Value? {
        let skips = decisions.filter { $0.kind == .justified }
        if skips.isEmpty { return nil }
        return ["skip": .list(skips.map { ["id": .string($0.check), "comment": .string($0.reason)] })]
    }
}

/// One security decision as the plan lists it: which resource of which stack, which check, what was
/// decided and why.
public struct SecurityDecisionRecord: Hashable, Sendable, Codable {
    public let stack: String
    public let logicalId: String
    public let type: String
    public let check: String
    public let decision: SecurityDecision.Kind
    public let reason: String

    public init(stack: String, logicalId: String, type: String, check: String, decision: SecurityDecision.Kind, reason: String) {
        self.stack = stack
        self.logicalId = logicalId
        self.type = type
        self.check = check
        self.decision = decision
        self.reason = reason
    }
}

extension CfnResource {
    /// Records that `check` fails on this resource on purpose, for `reason` (written into the
    /// template for checkov and listed in the plan). A second decision on the same check replaces
    /// the first, so a setting turned on later can withdraw a default justification.
    public func justify(_ check: String, because reason: String) {
        decide(SecurityDecision(check: check, kind: .justified, reason: reason))
    }

    /// Records that a setting which satisfies `check` is on for `reason` (for example, because the
    /// environment is production and the setting costs money); listed in the plan.
    public func enabled(_ check: String, because reason: String) {
        decide(SecurityDecision(check: check, kind: .enabled, reason: reason))
    }

    /// Withdraws the decision on `check`, when a later setting makes the check pass.
    public func withdrawDecision(_ check: String) {
        securityDecisions.removeAll { $0.check == check }
    }

    private func decide(_ decision: SecurityDecision) {
        if let index = securityDecisions.firstIndex(where: { $0.check == decision.check }) {
            securityDecisions[index] = decision
        } else {
            securityDecisions.append(decision)
        }
    }
}
