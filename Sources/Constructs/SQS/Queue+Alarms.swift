import CloudFormation
import Synthesis

extension Queue {
    /// Alarms when the oldest message has waited longer than `seconds` (600 by default): the
    /// consumers are failing or cannot keep up. `ApproximateAgeOfOldestMessage`, the maximum over
    /// five minutes.
    @discardableResult
    public func alarmOnAgeOfOldestMessage(topic: Topic?, seconds: Double = 600, file: String = #fileID, line: Int = #line) -> Alarm {
        Alarm(
            in: self, "AgeOfOldestMessageAlarm",
            metric: Metric(namespace: "AWS/SQS", name: "ApproximateAgeOfOldestMessage", dimensions: [("QueueName", name)], statistic: "Maximum"),
            threshold: seconds, description: "\(relativePath): a message has waited more than \(seconds) s", topic: topic, file: file, line: line)
    }

    /// Alarms as soon as the dead-letter queue holds a message (`ApproximateNumberOfMessagesVisible`
    /// above 0): some message failed `maxReceiveCount` times and waits for a person. Returns nil,
    /// after reporting an error, for a queue made without a dead-letter queue.
    @discardableResult
    public func alarmOnDeadLetters(topic: Topic?, file: String = #fileID, line: Int = #line) -> Alarm? {
        guard let deadLetters else {
            report(.queueWithoutDeadLetters(self, at: SourceLocation(file: file, line: line)))
            return nil
        }
        return Alarm(
            in: self, "DeadLettersAlarm",
            metric: Metric(
                namespace: "AWS/SQS", name: "ApproximateNumberOfMessagesVisible",
                dimensions: [("QueueName", deadLetters.attribute("QueueName"))], statistic: "Maximum"),
            threshold: 0, description: "\(relativePath): messages in the dead-letter queue", topic: topic, file: file, line: line)
    }
}

extension Diagnostic {
    static func queueWithoutDeadLetters(_ queue: Queue, at location: SourceLocation) -> Diagnostic {
        Diagnostic(
            "\(queue.path): alarmOnDeadLetters needs a dead-letter queue, and this queue was made with maxReceiveCount: nil", at: location,
            hint: "give the queue a maxReceiveCount (3 by default) so failed messages move to a dead-letter queue")
    }
}
