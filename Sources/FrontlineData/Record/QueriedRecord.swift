/// A record kept in a store that answers each question by query (a database): a dataset read
/// from it holds this instead of the whole log, and each question reads only the rows it needs,
/// the checkpoint it starts from and the changes after it (``part(for:)``). See docs/database.md.
public protocol QueriedRecord: Sendable {
    /// The base date and every date on which a change is recorded, sorted.
    var dates: [CalendarDate] { get }
    /// The parties the base and the changes name (`none` included when a change gives ground up).
    var partyIDs: Set<String> { get }
    /// A part of the record that answers as the whole record does for every date in `dates`:
    /// their states, the periods around them and the passages between them. Throws
    /// ``DataUnavailable`` when the store cannot be asked, or no longer holds the version the
    /// dataset was read at.
    func part(for dates: ClosedRange<CalendarDate>) throws -> ControlRecord
}

/// A question a store cannot answer now: it cannot be reached, or its data changed since the
/// dataset was read (ask again: a server is about to load the new version). A server answers it
/// with 503 and Retry-After, the CLI with exit code 1.
public struct DataUnavailable: Error, Sendable, CustomStringConvertible {
    /// Why, for the person who asked.
    public var description: String

    /// The error.
    public init(_ description: String) { self.description = description }
}

extension Dataset {
    /// True when the dataset holds a record of control, whole or answered by query.
    public var hasRecord: Bool { record != nil || queriedRecord != nil }

    /// The record, or the part of a queried record that answers for `dates`; nil when the
    /// dataset holds none (the legacy `control.geojson`).
    func record(for dates: ClosedRange<CalendarDate>) throws -> ControlRecord? {
        if let record { return record }
        return try queriedRecord?.part(for: dates)
    }
}
