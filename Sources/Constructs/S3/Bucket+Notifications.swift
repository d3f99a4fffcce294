import CloudFormation
import L1ConstructTypes
import L1Core
import Synthesis

/// An S3 event type: `s3:ObjectCreated:*` and its kinds, `s3:ObjectRemoved:*`, ... Any event name
/// S3 knows is accepted (`BucketEvent(rawValue: "s3:ObjectTagging:*")`).
public struct BucketEvent: RawRepresentable, Hashable, Sendable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let objectCreated = BucketEvent(rawValue: "s3:ObjectCreated:*")
    public static let objectCreatedPut = BucketEvent(rawValue: "s3:ObjectCreated:Put")
    public static let objectCreatedPost = BucketEvent(rawValue: "s3:ObjectCreated:Post")
    public static let objectCreatedCopy = BucketEvent(rawValue: "s3:ObjectCreated:Copy")
    public static let objectCreatedMultipartUpload = BucketEvent(rawValue: "s3:ObjectCreated:CompleteMultipartUpload")
    public static let objectRemoved = BucketEvent(rawValue: "s3:ObjectRemoved:*")
    public static let objectRemovedDelete = BucketEvent(rawValue: "s3:ObjectRemoved:Delete")
    public static let objectRemovedDeleteMarkerCreated = BucketEvent(rawValue: "s3:ObjectRemoved:DeleteMarkerCreated")
    public static let objectRestore = BucketEvent(rawValue: "s3:ObjectRestore:*")

    /// Whether one notification for `self` and one for `other` would both fire for some event:
    /// the same name, or one is a wildcard (`s3:ObjectCreated:*`) that covers the other.
    func overlaps(_ other: BucketEvent) -> Bool {
        func covers(_ a: BucketEvent, _ b: BucketEvent) -> Bool {
            a.rawValue.hasSuffix("*") && b.rawValue.hasPrefix(a.rawValue.dropLast())
        }
        return self == other || covers(self, other) || covers(other, self)
    }
}

/// Where a bucket sends the notifications of `addEventNotification(_:to:prefix:suffix:)`.
public enum NotificationDestination {
    /// A queue: S3 may send to it (a queue policy statement for this bucket).
    case queue(Queue)
    /// A function: S3 may invoke it (an `AWS::Lambda::Permission` for this bucket).
    case function(Function)

    var construct: Construct {
        switch self {
        case .queue(let queue): queue
        case .function(let function): function
        }
    }
}

/// One notification of a bucket, kept for the overlap check.
struct EventNotification {
    let event: BucketEvent
    let destination: Construct
    let prefix: String
    let suffix: String
    let location: SourceLocation

    /// S3 refuses two notifications for overlapping events whose key filters could both match one
    /// key: each prefix starts the other (or is empty), and each suffix ends the other (or is empty).
    func overlaps(_ other: EventNotification) -> Bool {
        event.overlaps(other.event)
            && (prefix.hasPrefix(other.prefix) || other.prefix.hasPrefix(prefix))
            && (suffix.hasSuffix(other.suffix) || other.suffix.hasSuffix(suffix))
    }

    var filterDescription: String {
        var parts: [String] = []
        if !prefix.isEmpty { parts.append("prefix '\(prefix)'") }
        if !suffix.isEmpty { parts.append("suffix '\(suffix)'") }
        return parts.isEmpty ? "every key" : parts.joined(separator: ", ")
    }
}

extension Bucket {
    /// Sends `event` for keys starting with `prefix` and ending with `suffix` to `destination`.
    ///
    /// The destination gets what S3 needs to deliver, made for it: a queue policy statement
    /// (`s3.amazonaws.com` may send, only for this bucket and account; a queue on the AWS managed
    /// key switches to SSE-SQS, which S3 can use) or a Lambda permission. The bucket depends on
    /// that policy or permission, since S3 checks it when the notification is configured. To keep
    /// the template free of a cycle (bucket -> policy -> bucket ARN -> bucket), the policy names the
    /// bucket by its name rather than by `!Ref`; a bucket without `bucketName:` therefore gets a
    /// fixed one, `<stack>-<path>-<account>-<region>` (lowercase, shortened with a hash past 63
    /// characters).
    ///
    /// Two notifications whose events overlap and whose filters could both match one key are an
    /// error, as S3 refuses them at deploy time.
    ///
    /// - Parameters:
    ///   - prefix: Only keys starting with it; every key by default.
    ///   - suffix: Only keys ending with it (`.jpg`); every key by default.
    public func addEventNotification(
        _ event: BucketEvent, to destination: NotificationDestination, prefix: String? = nil, suffix: String? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        let location = SourceLocation(file: file, line: line)
        let notification = EventNotification(
            event: event, destination: destination.construct, prefix: prefix ?? "", suffix: suffix ?? "", location: location)
        if let earlier = notifications.first(where: { $0.overlaps(notification) }) {
            report(.overlappingNotification(self, notification, earlier: earlier))
        }
        notifications.append(notification)
        let knownArn = arnByName()

        var filter: S3.Bucket.NotificationFilter?
        var rules: [S3.Bucket.FilterRule] = []
        if let prefix, !prefix.isEmpty { rules.append(.init(name: "prefix", value: Typed(prefix))) }
        if let suffix, !suffix.isEmpty { rules.append(.init(name: "suffix", value: Typed(suffix))) }
        if !rules.isEmpty { filter = .init(s3Key: .init(rules: List(rules))) }

        let sourceAccount = Value.string(stack?.account.id ?? "")
        switch destination {
        case .queue(let queue):
            queueConfigurations.append(.init(event: Typed(event.rawValue), queue: .value(queue.arn), filter: filter))
            if allowedDestinations.insert(ObjectIdentifier(queue)).inserted {
                let policy = queue.allowSend(fromService: "s3.amazonaws.com", sourceArn: knownArn, sourceAccount: sourceAccount, file: file, line: line)
                if !resource.dependsOn.contains(where: { $0 === policy }) { resource.dependsOn.append(policy) }
            }
        case .function(let function):
            function.invokedAsynchronously(by: self)
            lambdaConfigurations.append(.init(event: Typed(event.rawValue), function: .value(function.arn), filter: filter))
            if allowedDestinations.insert(ObjectIdentifier(function)).inserted {
                let permission = Lambda.Permission(
                    in: function, "\(LogicalIds.pascalCase(id))Permission", action: "lambda:InvokeFunction", functionName: .value(function.arn),
                    principal: "s3.amazonaws.com", sourceAccount: .value(sourceAccount), sourceArn: .value(knownArn), file: file, line: line)
                resource.dependsOn.append(permission)
            }
        }
        renderNotifications()
    }

    /// The notification configuration, built whole from what was added (property types are values).
    func renderNotifications() {
        resource.notificationConfiguration = .init(
            eventBridgeConfiguration: sendsToEventBridge ? .init(eventBridgeEnabled: true) : nil,
            lambdaConfigurations: lambdaConfigurations.isEmpty ? nil : List(lambdaConfigurations),
            queueConfigurations: queueConfigurations.isEmpty ? nil : List(queueConfigurations))
    }

    /// Sends every event of the bucket to the account's default EventBridge bus (rules there
    /// choose what to do with them); EventBridge needs no policy for it.
    public func sendEventsToEventBridge() {
        sendsToEventBridge = true
        renderNotifications()
    }

    /// `arn:<partition>:s3:::<name>` without referring to the bucket resource, fixing the bucket's
    /// name first if it has none.
    func arnByName() -> Value {
        if fixedName == nil {
            let name = Self.derivedName(for: self)
            fixedName = .string(name)
            resource.bucketName = Typed(name)
        }
        let byName = Self.arn(named: fixedName!)
        if !notificationsFixedName {
            notificationsFixedName = true
            // Grants made before now refer to the bucket; the bucket is about to depend on its
            // destinations, so a destination's role referring back would close a cycle.
            let name = fixedName!
            for role in grantedRoles {
                role.rewriteReferences(to: resource) { attribute in
                    switch attribute {
                    case "Arn": byName
                    case nil: name
                    default: nil
                    }
                }
            }
        }
        return byName
    }

    /// `<stack>-<path below the stack>-<account>-<region>`, lowercase, at most 63 characters.
    static func derivedName(for bucket: Bucket) -> String {
        guard let stack = bucket.stack else { return bucket.id.lowercased() }
        let below = bucket.path.dropFirst(stack.path.count + 1)
        func clean(_ text: some StringProtocol) -> String {
            let mapped = text.lowercased().map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? $0 : "-" }
            return String(mapped).split(separator: "-").joined(separator: "-")
        }
        let tail = "-\(stack.account.id)-\(stack.region)"
        let readable = clean(stack.stackName) + "-" + clean(below)
        if readable.count + tail.count <= 63 { return readable + tail }
        // FNV-1a, so the shortened name is the same in every run.
        var hash: UInt32 = 2_166_136_261
        for byte in readable.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let digest = String(hash, radix: 16)
        let keep = 63 - tail.count - digest.count - 1
        var short = String(readable.prefix(keep))
        while short.hasSuffix("-") { short.removeLast() }
        return short + "-" + digest + tail
    }
}

extension Diagnostic {
    static func overlappingNotification(_ bucket: Bucket, _ notification: EventNotification, earlier: EventNotification) -> Diagnostic {
        Diagnostic(
            "\(bucket.path): notification of \(notification.event.rawValue) (\(notification.filterDescription)) to \(notification.destination.path) overlaps the notification of \(earlier.event.rawValue) (\(earlier.filterDescription)) to \(earlier.destination.path) at \(earlier.location); S3 refuses overlapping filters for the same event",
            at: notification.location,
            hint: "give the two notifications prefixes neither of which starts the other, or suffixes neither of which ends the other; or send the events to one destination and fan out from there")
    }
}
