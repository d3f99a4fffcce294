import CloudFormation
import Constructs
import Synthesis
import TestSupport
import Testing

/// The schedule grammar EventBridge rules accept (UTC `rate(...)` and six-field `cron(...)`).
@Suite struct ScheduleExpressionTests {
    static func diagnostics(_ schedule: String) -> [Diagnostic] {
        Fixtures.diagnostics { app in
            let stack = Stack(in: app, "Test")
            let function = Function(in: stack, "Fn", handler: "index.handler", code: .inline("x"))
            Rule(in: stack, "Nightly", schedule: schedule, line: 7).addTarget(.function(function))
        }
    }

    @Test(arguments: [
        "rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)", "rate(7 days)",
        "cron(0 3 * * ? *)", "cron(0/15 * * * ? *)", "cron(*/5 8-17 ? * MON-FRI *)", "cron(0 9 ? * 2#1 *)",
        "cron(0 12 L * ? *)", "cron(0 12 15W * ? 2030)", "cron(30 6 1,15 JAN,jul ? *)", "cron(0 0 ? * 6L 2024-2030)",
        "cron(0 18 ? * SUN *)", "cron(0 0 LW * ? *)",
    ])
    func acceptedSchedulesSynthesize(_ schedule: String) {
        #expect(Self.diagnostics(schedule).isEmpty, "\(schedule)")
    }

    @Test(arguments: [
        ("rate(1 days)", "a rate of 1 takes the singular unit", "write rate(1 day)"),
        ("rate(5 minute)", "a rate of 5 takes the plural unit", "write rate(5 minutes)"),
        ("rate(0 minutes)", "the rate's value '0' is not a positive whole number", "e.g. rate(5 minutes); the shortest rate is rate(1 minute)"),
        ("rate(1 week)", "the rate's unit 'week' is not minute(s), hour(s) or day(s)", "e.g. rate(1 day); for weeks or months use cron(...)"),
        ("rate(5minutes)", "a rate is a number and a unit separated by one space", "e.g. rate(5 minutes) or rate(1 day)"),
        ("cron(0 3 * * ?)", "cron(...) has 5 fields; EventBridge's cron takes six: minutes hours day-of-month month day-of-week year",
         "add the year field (usually *): e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 * * * *)", "day-of-month ('*') and day-of-week ('*') are both set; one of them must be '?'",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 ? * ? *)", "day-of-month and day-of-week are both '?'; exactly one of them must be",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 24 * * ? *)", "the hours field '24' has 24, outside 0-23",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(60 3 * * ? *)", "the minutes field '60' has 60, outside 0-59",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 ? * MON-FRY *)", "the day-of-week field 'MON-FRY' has 'FRY', which is not a value (1-7 or SUN-SAT)",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 ? 13 MON *)", "the month field '13' has 13, outside 1-12",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(? 3 * * ? *)", "the minutes field '?' cannot be '?' (only day-of-month and day-of-week can)",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0/0 3 * * ? *)", "the minutes field '0/0' has '0/0'; the increment after '/' must be a positive whole number",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 ? * 2#6 *)", "the day-of-week field '2#6' has '#6'; the week of the month after '#' is 1 to 5",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3 L * ? 1969)", "the year field '1969' has 1969, outside 1970-2199",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("cron(0 3W * * ? *)", "the hours field '3W' has '3W'; L, W and # are only for day-of-month and day-of-week",
         "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"),
        ("at(2030-01-01T00:00:00)", "one-time at(...) schedules belong to EventBridge Scheduler, not to rules", "use a rate(...) or cron(...) expression"),
        ("daily", "a schedule is rate(value unit) or cron(six fields)", "e.g. rate(1 day) or cron(0 3 * * ? *) (03:00 UTC every day)"),
    ])
    func refusedScheduleIsOneErrorWithAHint(_ schedule: String, _ reason: String, _ hint: String) {
        let diagnostics = Self.diagnostics(schedule)
        #expect(DiagnosticError(diagnostics).description == """
            ConstructsTests/ScheduleExpressionTests.swift:7: error: dev/Test/Nightly: schedule '\(schedule)' is not one EventBridge accepts: \(reason)
              hint: \(hint)
            """)
    }
}
