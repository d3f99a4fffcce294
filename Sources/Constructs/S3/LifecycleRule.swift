import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// A storage class objects can move to.
public enum StorageClass: String, Sendable {
    case standardInfrequentAccess = "STANDARD_IA"
    case oneZoneInfrequentAccess = "ONEZONE_IA"
    case intelligentTiering = "INTELLIGENT_TIERING"
    case glacierInstantRetrieval = "GLACIER_IR"
    case glacierFlexibleRetrieval = "GLACIER"
    case deepArchive = "DEEP_ARCHIVE"

    /// S3 moves objects to the infrequent-access classes only once they are 30 days old.
    var minimumDays: Int {
        switch self {
        case .standardInfrequentAccess, .oneZoneInfrequentAccess: 30
        default: 0
        }
    }
}

/// A bucket lifecycle rule: what happens to objects (under `prefix`, or all of them) as they age.
///
///     LifecycleRule(id: "Archive", prefix: "raw/", transitions: [.init(.glacierInstantRetrieval, afterDays: 90)], expirationDays: 365)
public struct LifecycleRule: Sendable {
    /// Moves objects to `storageClass` once they are `afterDays` days old.
    public struct Transition: Sendable {
        public let storageClass: StorageClass
        public let afterDays: Int

        public init(_ storageClass: StorageClass, afterDays: Int) {
            self.storageClass = storageClass
            self.afterDays = afterDays
        }
    }

    public let id: String
    public let prefix: String?
    public let transitions: [Transition]
    public let expirationDays: Int?
    public let abortIncompleteMultipartUploadDays: Int?

    /// - Parameters:
    ///   - id: The rule's name, unique in its bucket.
    ///   - prefix: Only objects whose keys start with it; every object by default.
    ///   - transitions: Moves to cheaper storage classes; none by default.
    ///   - expirationDays: Delete objects this many days after creation (in a versioned bucket, a
    ///     delete marker; the old version then expires with the bucket's noncurrent-version rule);
    ///     objects are kept by default.
    ///   - abortIncompleteMultipartUploadDays: Remove the parts of uploads not completed after this
    ///     many days: 7 by default; nil keeps them.
    public init(
        id: String, prefix: String? = nil, transitions: [Transition] = [], expirationDays: Int? = nil,
        abortIncompleteMultipartUploadDays: Int? = 7
    ) {
        self.id = id
        self.prefix = prefix
        self.transitions = transitions
        self.expirationDays = expirationDays
        self.abortIncompleteMultipartUploadDays = abortIncompleteMultipartUploadDays
    }

    var resourceRule: S3.Bucket.Rule {
        S3.Bucket.Rule(
            status: .enabled,
            abortIncompleteMultipartUpload: abortIncompleteMultipartUploadDays.map { .init(daysAfterInitiation: Typed($0)) },
            expirationInDays: expirationDays.map { Typed($0) },
            id: Typed(id),
            prefix: prefix.map { Typed($0) },
            transitions: transitions.isEmpty ? nil : List(transitions.map {
                S3.Bucket.Transition(storageClass: Typed(rawString: $0.storageClass.rawValue), transitionInDays: Typed($0.afterDays))
            }))
    }

    /// What S3 would refuse in this rule, given the ids the bucket already has.
    func problems(existingIds: [String]) -> [(message: String, hint: String)] {
        var problems: [(message: String, hint: String)] = []
        if existingIds.contains(id) {
            problems.append(("lifecycle rule id '\(id)' is used twice", "give each rule of a bucket its own id"))
        }
        if transitions.isEmpty && expirationDays == nil {
            problems.append(("lifecycle rule '\(id)' neither moves nor expires objects", "give it transitions: or expirationDays:"))
        }
        for day in [expirationDays, abortIncompleteMultipartUploadDays].compactMap({ $0 }) + transitions.map(\.afterDays) where day < 1 {
            problems.append(("lifecycle rule '\(id)' counts \(day) days; S3 counts whole days from 1", "use at least 1 day"))
        }
        for transition in transitions where transition.afterDays < transition.storageClass.minimumDays {
            problems.append((
                "lifecycle rule '\(id)' moves objects to \(transition.storageClass.rawValue) after \(transition.afterDays) days; S3 requires at least \(transition.storageClass.minimumDays)",
                "objects must be 30 days old before moving to an infrequent-access class; use GLACIER_IR or INTELLIGENT_TIERING for younger ones"))
        }
        if let expirationDays, let last = transitions.map(\.afterDays).max(), expirationDays <= last {
            problems.append((
                "lifecycle rule '\(id)' expires objects after \(expirationDays) days, not after its last transition (\(last) days)",
                "expire objects later than they move, or drop the transition"))
        }
        return problems
    }
}
