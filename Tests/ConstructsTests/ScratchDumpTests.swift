import CloudFormation
import Constructs
import Foundation
import Synthesis
import TestSupport
import Testing

@Suite struct ScratchDumpTests {
    @Test func dump() throws {
        var out = ""
        let app = try Fixtures.synthesize { app in
            let stack = Stack(in: app, "Photos")
            let work = Queue(in: stack, "Work", visibilityTimeout: 60)
            let thumbnailer = Function(in: stack, "Thumbnailer", handler: "a.b", code: .inline("x"), tracing: false)
            let uploads = Bucket(in: stack, "Uploads", lifecycleRules: [LifecycleRule(id: "ExpireTmp", prefix: "tmp/", expirationDays: 1)])
            uploads.addEventNotification(.objectCreated, to: .queue(work), prefix: "incoming/")
            uploads.addEventNotification(.objectRemoved, to: .function(thumbnailer), suffix: ".jpg")
            uploads.sendEventsToEventBridge()
            uploads.grantRead(to: thumbnailer, prefix: "incoming/")
            uploads.grantPut(to: thumbnailer, prefix: "thumbnails/")
            uploads.grantDelete(to: thumbnailer)
            let alerts = Topic(in: stack, "Alerts")
            alerts.addSubscription(.email("ops@example.com"))
            let fanout = Queue(in: stack, "Fanout")
            alerts.addSubscription(.queue(fanout, rawMessageDelivery: true))
            alerts.addSubscription(.function(thumbnailer))
            work.alarmOnAgeOfOldestMessage(topic: alerts)
            work.alarmOnDeadLetters(topic: alerts)
            let table = Table(in: stack, "Photos", partitionKey: .string("Owner"), sortKey: .string("PhotoId"),
                              localIndexes: [LocalSecondaryIndex(name: "ByTakenAt", sortKey: .number("TakenAt"), projection: .keysOnly)],
                              stream: .newAndOldImages)
            table.addStreamConsumer(thumbnailer, onFailure: work)
            table.grantWrite(to: thumbnailer)
            let secret = Secret(in: stack, "ApiKey", value: .setLater)
            secret.grantRead(to: thumbnailer)
            let generated = Secret(in: stack, "Password")
            _ = generated
            let level = StringParameter(in: stack, "LogLevel", name: "/dev/photos/log-level", value: "INFO")
            level.grantRead(to: thumbnailer)
            let token = StringParameter.secureString(in: stack, "Token", name: "/dev/photos/token", keyArn: "arn:aws:kms:eu-west-1:800000000001:key/abc")
            token.grantRead(to: thumbnailer)
        }
        out = Fixtures.yaml(app, "dev-Photos")
        try out.write(toFile: "/tmp/dump11b.yaml", atomically: true, encoding: .utf8)
    }
}
