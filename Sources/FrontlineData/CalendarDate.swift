/// A calendar date of the area mapped (no time, no time zone), written `YYYY-MM-DD`.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Year, month (1–12) and day (1–31).
    public let year: Int, month: Int, day: Int

    /// The date if it exists in the proleptic Gregorian calendar, else nil.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; nil for any other form or a date that does not exist.
    public init?(_ text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `n` days later (earlier when negative).
    public func adding(days n: Int) -> CalendarDate {
        let z = dayNumber + n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return CalendarDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }

    /// Earlier dates sort first.
    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The English name of month `m` (1–12).
    public static func monthName(_ m: Int) -> String {
        ["January", "February", "March", "April", "May", "June", "July",
         "August", "September", "October", "November", "December"][min(12, max(1, m)) - 1]
    }

    /// "26 March 2022".
    public var longDescription: String { "\(day) \(CalendarDate.monthName(month)) \(year)" }
}

/// The dates on which a feature holds: `from <= D < to`; no `to` means "still so".
public struct ValidityPeriod: Sendable, Hashable {
    /// First date on which the feature holds.
    public var from: CalendarDate
    /// First date on which it no longer holds, or nil.
    public var to: CalendarDate?

    /// Makes a period.
    public init(from: CalendarDate, to: CalendarDate?) {
        self.from = from
        self.to = to
    }

    /// True when the feature holds on `date`.
    public func contains(_ date: CalendarDate) -> Bool {
        from <= date && (to.map { date < $0 } ?? true)
    }
}
