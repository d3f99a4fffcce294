/// The schedule expressions an EventBridge rule accepts, checked the way EventBridge checks them:
/// `rate(value unit)` and six-field `cron(...)`, in UTC.
///
/// - `rate(1 minute)`, `rate(5 minutes)`, `rate(1 hour)`, `rate(12 hours)`, `rate(1 day)`,
///   `rate(7 days)`: a positive whole number, singular unit for 1, plural for more.
/// - `cron(minutes hours day-of-month month day-of-week year)`: minutes 0-59, hours 0-23,
///   day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199; each
///   field a list (`,`) of values, ranges (`-`), `*`, and increments (`/`); `?` in exactly one of
///   day-of-month and day-of-week; `L` and `W` in day-of-month, `L` and `#` in day-of-week.
enum ScheduleExpression {
    /// Why `expression` is refused, as the end of a sentence, with what to write instead; nil when
    /// EventBridge accepts it.
    static func problem(_ expression: String) -> (reason: String, hint: String)? {
        if expression.hasPrefix("rate(") && expression.hasSuffix(")") {
            return rateProblem(String(expression.dropFirst(5).dropLast()))
        }
        if expression.hasPrefix("cron(") && expression.hasSuffix(")") {
            return cronProblem(String(expression.dropFirst(5).dropLast()))
        }
        if expression.hasPrefix("at(") {
            return ("one-time at(...) schedules belong to EventBridge Scheduler, not to rules", "use a rate(...) or cron(...) expression")
        }
        return ("a schedule is rate(value unit) or cron(six fields)", "e.g. rate(1 day) or cron(0 3 * * ? *) (03:00 UTC every day)")
    }

    private static let units = ["minute", "hour", "day"]

    private static func rateProblem(_ body: String) -> (reason: String, hint: String)? {
        let parts = body.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return ("a rate is a number and a unit separated by one space", "e.g. rate(5 minutes) or rate(1 day)")
        }
        let unit = String(parts[1])
        guard let value = Int(parts[0]), parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber), value > 0 else {
            return ("the rate's value '\(parts[0])' is not a positive whole number", "e.g. rate(5 minutes); the shortest rate is rate(1 minute)")
        }
        let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
        guard units.contains(singular) else {
            return ("the rate's unit '\(unit)' is not minute(s), hour(s) or day(s)", "e.g. rate(\(value) \(value == 1 ? "day" : "days")); for weeks or months use cron(...)")
        }
        if value == 1, unit != singular {
            return ("a rate of 1 takes the singular unit", "write rate(1 \(singular))")
        }
        if value > 1, unit == singular {
            return ("a rate of \(value) takes the plural unit", "write rate(\(value) \(singular)s)")
        }
        return nil
    }

    private struct Field {
        let name: String
        let range: ClosedRange<Int>
        /// Names that stand for numbers (`JAN` = 1, `SUN` = 1).
        let names: [String]
        let allowsQuestionMark: Bool
    }

    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let weekdays = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
    private static let fields = [
        Field(name: "minutes", range: 0...59, names: [], allowsQuestionMark: false),
        Field(name: "hours", range: 0...23, names: [], allowsQuestionMark: false),
        Field(name: "day-of-month", range: 1...31, names: [], allowsQuestionMark: true),
        Field(name: "month", range: 1...12, names: months, allowsQuestionMark: false),
        Field(name: "day-of-week", range: 1...7, names: weekdays, allowsQuestionMark: true),
        Field(name: "year", range: 1970...2199, names: [], allowsQuestionMark: false),
    ]

    private static let example = "e.g. cron(0 3 * * ? *) runs at 03:00 UTC every day, cron(0 9 ? * MON-FRI *) at 09:00 UTC on weekdays"

    private static func cronProblem(_ body: String) -> (reason: String, hint: String)? {
        let parts = body.split(separator: " ").map(String.init)
        guard parts.count == 6 else {
            return (
                "cron(...) has \(parts.count) field\(parts.count == 1 ? "" : "s"); EventBridge's cron takes six: minutes hours day-of-month month day-of-week year",
                parts.count == 5 ? "add the year field (usually *): \(example)" : example)
        }
        for (field, text) in zip(fields, parts) {
            if let reason = fieldProblem(text, field) {
                return ("the \(field.name) field '\(text)' \(reason)", example)
            }
        }
        let (dayOfMonth, dayOfWeek) = (parts[2], parts[4])
        if dayOfMonth == "?" && dayOfWeek == "?" {
            return ("day-of-month and day-of-week are both '?'; exactly one of them must be", example)
        }
        if dayOfMonth != "?" && dayOfWeek != "?" {
            return ("day-of-month ('\(dayOfMonth)') and day-of-week ('\(dayOfWeek)') are both set; one of them must be '?'", example)
        }
        return nil
    }

    /// Why one field is refused (the end of a sentence), or nil.
    private static func fieldProblem(_ text: String, _ field: Field) -> String? {
        if text == "?" {
            return field.allowsQuestionMark ? nil : "cannot be '?' (only day-of-month and day-of-week can)"
        }
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if item.isEmpty { return "has an empty item in its list" }
            if item == "?" { return "cannot list '?' with other values" }
            if let reason = itemProblem(item, field) { return reason }
        }
        return nil
    }

    private static func number(_ text: String, _ field: Field) -> Int? {
        if let index = field.names.firstIndex(of: text.uppercased()) { return index + 1 }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    private static func itemProblem(_ item: String, _ field: Field) -> String? {
        let valueWords = field.names.isEmpty ? "\(field.range.lowerBound)-\(field.range.upperBound)" : "\(field.range.lowerBound)-\(field.range.upperBound) or \(field.names.first!)-\(field.names.last!)"
        func checkValue(_ text: String) -> String? {
            guard let value = number(text, field) else { return "has '\(text)', which is not a value (\(valueWords))" }
            return field.range.contains(value) ? nil : "has \(value), outside \(field.range.lowerBound)-\(field.range.upperBound)"
        }
        // Special forms of the day fields.
        if field.name == "day-of-month" {
            if item == "L" || item == "LW" { return nil }
            if item.hasSuffix("W") { return checkValue(String(item.dropLast())) }
        }
        if field.name == "day-of-week" {
            if item == "L" { return nil }
            if item.hasSuffix("L") { return checkValue(String(item.dropLast())) }
            let hash = item.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
            if hash.count == 2 {
                if let reason = checkValue(hash[0]) { return reason }
                guard let nth = Int(hash[1]), (1...5).contains(nth) else { return "has '#\(hash[1])'; the week of the month after '#' is 1 to 5" }
                return nil
            }
        }
        let isDayField = field.name == "day-of-month" || field.name == "day-of-week"
        if !isDayField, field.names.isEmpty, item.contains(where: { "LW#".contains($0) }) {
            return "has '\(item)'; L, W and # are only for day-of-month and day-of-week"
        }
        // base[/increment], where base is *, a value or a range.
        let slash = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard slash.count <= 2 else { return "has '\(item)', with more than one '/'" }
        if slash.count == 2 {
            guard let increment = Int(slash[1]), slash[1].allSatisfy({ $0.isASCII && $0.isNumber }), increment > 0 else {
                return "has '\(item)'; the increment after '/' must be a positive whole number"
            }
            if increment > field.range.upperBound { return "has '\(item)'; the increment \(increment) is larger than the field's range" }
        }
        let base = slash[0]
        if base == "*" { return nil }
        let range = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch range.count {
        case 1: return checkValue(range[0])
        case 2: return checkValue(range[0]) ?? checkValue(range[1])
        default: return "has '\(item)', which is not a value or a range"
        }
    }
}
