import FrontlineData

/// How far apart an animation's frames are: the dataset's key dates, or a fixed number of days
/// or calendar months.
public enum AnimationStep: Sendable, Hashable, CustomStringConvertible {
    /// The key dates between the ends.
    case keyDates
    /// Every `n` days.
    case days(Int)
    /// Every `n` calendar months (the same day of the month, or the month's last day).
    case months(Int)

    /// Reads `key-dates`, `Nd` (days) or `Nm` (months), N from 1 to 999; nil otherwise.
    public init?(_ text: String) {
        if text == "key-dates" { self = .keyDates; return }
        guard let unit = text.last, let n = Int(text.dropLast()), (1...999).contains(n), text.first != "+" else { return nil }
        switch unit {
        case "d": self = .days(n)
        case "m": self = .months(n)
        default: return nil
        }
    }

    /// As the command line writes it: `key-dates`, `7d`, `1m`.
    public var description: String {
        switch self {
        case .keyDates: return "key-dates"
        case .days(let n): return "\(n)d"
        case .months(let n): return "\(n)m"
        }
    }

    /// The frames' dates from `first` to `last`, both included, in order.
    public func dates(from first: CalendarDate, to last: CalendarDate, keyDates: [KeyDate]) -> [CalendarDate] {
        var dates = [first]
        switch self {
        case .keyDates:
            dates += Set(keyDates.map(\.date)).filter { $0 > first && $0 < last }.sorted()
        case .days(let n):
            var d = first.adding(days: n)
            while d < last { dates.append(d); d = d.adding(days: n) }
        case .months(let n):
            var k = 1
            while let d = first.adding(months: n * k), d < last { dates.append(d); k += 1 }
        }
        if last > first { dates.append(last) }
        return dates
    }
}

extension CalendarDate {
    /// The date `n` calendar months later, on the same day or the month's last day; nil past year 9999.
    func adding(months n: Int) -> CalendarDate? {
        let index = year * 12 + (month - 1) + n
        let (y, m) = (index / 12, index % 12 + 1)
        guard (1...9999).contains(y) else { return nil }
        return CalendarDate(year: y, month: m, day: min(day, CalendarDate.lastDay(month: m, year: y)))
    }

    static func lastDay(month: Int, year: Int) -> Int {
        (28...31).last { CalendarDate(year: year, month: month, day: $0) != nil }!
    }
}
