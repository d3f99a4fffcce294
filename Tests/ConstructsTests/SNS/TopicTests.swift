import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

@Suite struct TopicTests {
    @Test func anInvalidEmailAddressIsAnError() {
        let diagnostics = Fixtures.diagnostics { app in
            Topic(in: Stack(in: app, "Test"), "Alerts").addSubscription(.email("ops at example.com"), line: 7000)
        }
        #expect(diagnostics.map(\.description) == ["""
            ConstructsTests/TopicTests.swift:7000: error: dev/Test/Alerts: 'ops at example.com' is not an e-mail address
              hint: write one address, e.g. ops@example.com
            """])
    }
}
