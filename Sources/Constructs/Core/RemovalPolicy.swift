import CloudFormation
import Synthesis

/// What happens to a stateful resource when it is removed from its stack or replaced.
public enum RemovalPolicy: Sendable {
    /// Keep the resource (DeletionPolicy and UpdateReplacePolicy `Retain`). The default for
    /// everything that holds data or identity.
    case retain
    /// Take a final snapshot first (databases).
    case snapshot
    /// Delete it with the stack.
    case destroy

    var deletionPolicy: DeletionPolicy {
        switch self {
        case .retain: .retain
        case .snapshot: .snapshot
        case .destroy: .delete
        }
    }

    func apply(to resource: CfnResource) {
        resource.deletionPolicy = deletionPolicy
        resource.updateReplacePolicy = deletionPolicy
    }
}
