import Foundation
import FrontlineGeometry

/// A party that controls ground. The id `none` is reserved for ground no party holds.
public struct Party: Sendable, Hashable {
    /// Stable identifier used in `controlled_by`.
    public var id: String
    /// Display name, e.g. "Azerbaijani forces".
    public var name: String

    /// The pseudo-party for ground that no party of the dataset holds.
    public static let none = Party(id: "none", name: "No party")
}

/// A date worth jumping to, with why.
public struct KeyDate: Sendable, Hashable {
    /// The day worth jumping to.
    public var date: CalendarDate
    /// What happened on that day, for a date picker or timeline (may be empty).
    public var label: String
}

/// The contents of `dataset.json`.
public struct DatasetMetadata: Sendable {
    /// Human-readable name of the dataset, e.g. for a map title.
    public var title: String
    /// Credit line for the data's sources, to show wherever the data is shown (plain text).
    public var attribution: String
    /// Licence of the data; empty when `dataset.json` gives none.
    public var license: String
    /// The parties that hold ground, in the file's order (without `none`).
    public var parties: [Party]
    /// Dates worth jumping to, each with a label, sorted by date.
    public var keyDates: [KeyDate]
    /// The first and last dates the data describes; other dates are refused.
    public var temporalExtent: ClosedRange<CalendarDate>
    /// The date used when none is given.
    public var defaultDate: CalendarDate
    /// The default view, and the ground on which "none" is measured, in longitude/latitude.
    public var bbox: BoundingBox
}

/// One feature of `control.geojson`: ground held by one party over a period.
public struct ControlArea: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// Id of the party that holds the ground (`controlled_by`).
    public var partyID: String
    /// Dates on which the party holds it (`valid_from` up to, not including, `valid_to`).
    public var period: ValidityPeriod
    /// Where the line comes from (`source`), when given.
    public var source: String?
    /// Polygon or MultiPolygon in longitude/latitude, valid (repaired on load if needed).
    public var geometry: Geometry
}

/// One feature of `zones.geojson` (a peacekeeping zone, a corridor).
public struct Zone: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// Display name, e.g. "Lachin corridor".
    public var name: String
    /// What sort of zone, e.g. `peacekeeping` or `corridor`.
    public var kind: String
    /// Dates on which the zone is in force (`valid_from` up to, not including, `valid_to`).
    public var period: ValidityPeriod
    /// Polygon or MultiPolygon in longitude/latitude.
    public var geometry: Geometry
    /// All of the feature's GeoJSON properties, as read (for styles and filters).
    public var properties: [String: JSONValue]
}

/// A named point: a village (`villages.geojson`) or a height (`heights.geojson`).
public struct Place: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// Identifier, unique within its file.
    public var id: String
    /// Default display name, used when no name exists in the requested language.
    public var name: String
    /// Names by language code (`hy`, `az`, `ru`, …).
    public var names: [String: String]
    /// Longitude in degrees (WGS84).
    public var lon: Double
    /// Latitude in degrees (WGS84).
    public var lat: Double
    /// Population (villages) when known.
    public var population: Int?
    /// Elevation in metres (heights) when known.
    public var elevation: Double?
    /// All of the feature's GeoJSON properties, as read (for styles and filters).
    public var properties: [String: JSONValue]

    /// The place hierarchy of villages' `place`, largest first (OpenStreetMap's values).
    public static let ranks = ["city", "town", "village", "hamlet"]

    /// The name in `language`, falling back to `name`.
    public func name(in language: String?) -> String {
        language.flatMap { names[$0] } ?? name
    }
}

/// Whether gas flows through the pipeline, from a date on.
public struct PipelineStatusEvent: Sendable, Hashable {
    /// Gas flowing, or the line cut.
    public enum Status: String, Sendable { case flowing, cut }
    /// First date on which this status holds.
    public var date: CalendarDate
    /// Whether gas flows (`flowing`) or the line is cut (`cut`) from `date` on.
    public var status: Status
    /// Where it was cut or restored, when known (longitude, latitude).
    public var location: [Double]?
}

/// One feature of `pipeline.geojson`.
public struct PipelineRoute: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// Display name of the pipeline.
    public var name: String
    /// LineString or MultiLineString in longitude/latitude.
    public var geometry: Geometry
    /// In date order.
    public var statusEvents: [PipelineStatusEvent]
    /// All of the feature's GeoJSON properties, as read (for styles and filters).
    public var properties: [String: JSONValue]

    /// The status in force on `date` (the last event on or before it), nil before the first.
    public func status(on date: CalendarDate) -> PipelineStatusEvent? {
        statusEvents.last { $0.date <= date }
    }
}

/// One feature of `events.geojson`.
public struct MapEvent: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// Day on which the event happened.
    public var date: CalendarDate
    /// What sort of event, as given in the data (free text).
    public var kind: String
    /// Short description of the event, for labels and lists.
    public var title: String
    /// Where the report of the event comes from, when given.
    public var source: String?
    /// Where it happened: any geometry type, in longitude/latitude.
    public var geometry: Geometry
    /// All of the feature's GeoJSON properties, as read (for styles and filters).
    public var properties: [String: JSONValue]
}

/// One feature of `basemap.geojson`: context drawn under everything.
public struct BasemapFeature: Sendable {
    /// Index in the file's `features`.
    public var index: Int
    /// `border`, `road`, `river`, `town`, …
    public var featureClass: String
    /// Any geometry type, in longitude/latitude.
    public var geometry: Geometry
    /// All of the feature's GeoJSON properties, as read (for styles and filters).
    public var properties: [String: JSONValue]
}

/// A dataset that follows the data contract, loaded and checked. Plain data: share it freely.
public struct Dataset: Sendable {
    /// Where it was read from: a folder's path, or a database's URL without its password.
    public var location: String
    /// Title, attribution, parties, key dates, extent and default view from `dataset.json`.
    public var metadata: DatasetMetadata
    /// Who holds what ground over which dates, when read from `control.geojson` (the legacy
    /// contract), in file order; empty when the folder holds a record.
    public var control: [ControlArea]
    /// The record of control (`control/`: a base and a log of changes), when the folder holds one
    /// or a store handed it over whole.
    public var record: ControlRecord?
    /// The record of control when a store answers it by query instead (a database read for a
    /// server): then `record` is nil. ``hasRecord`` is true with either.
    public var queriedRecord: (any QueriedRecord)?
    /// Peacekeeping zones, corridors and the like (`zones.geojson`), in file order.
    public var zones: [Zone]
    /// Villages (`villages.geojson`), in file order; empty when the file is absent.
    public var villages: [Place]
    /// Heights with their elevation (`heights.geojson`), in file order; empty when the file is absent.
    public var heights: [Place]
    /// Pipeline routes with their flowing/cut history (`pipeline.geojson`), in file order.
    public var pipeline: [PipelineRoute]
    /// Dated events (`events.geojson`), in file order.
    public var events: [MapEvent]
    /// Context drawn under everything: borders, roads, rivers, towns (`basemap.geojson`).
    public var basemap: [BasemapFeature]
    /// Warnings found while loading (errors stop the load).
    public var warnings: [ValidationIssue]

    /// The parties of the dataset followed by ``Party/none``.
    public var partiesWithNone: [Party] { metadata.parties + [.none] }

    /// The party with this id (including `none`).
    public func party(_ id: String) -> Party? {
        id == Party.none.id ? Party.none : metadata.parties.first { $0.id == id }
    }

    /// The control in force on `date`: the features of `control.geojson` that hold then, or, from
    /// a record, one feature per party (its whole ground, valid while the state stays the same).
    public func control(on date: CalendarDate) throws -> [ControlArea] {
        guard let record = try record(for: date...date) else { return control.filter { $0.period.contains(date) } }
        guard let period = record.period(around: date) else { return [] }
        let state = try record.state(on: date)
        let sources = Dictionary(record.base.map { ($0.partyID, $0.source) }, uniquingKeysWith: { a, _ in a })
        return metadata.parties.enumerated().compactMap { k, party in
            state[party.id].map { ControlArea(index: k, partyID: party.id, period: period, source: sources[party.id] ?? nil, geometry: $0) }
        }
    }

    /// Every date on which control changes (each `valid_from` and `valid_to`, or the record's
    /// base date and the dates of its changes), sorted.
    public var controlChangeDates: [CalendarDate] {
        if let dates = record?.dates ?? queriedRecord?.dates { return dates }
        return Set(control.flatMap { [$0.period.from] + ($0.period.to.map { [$0] } ?? []) }).sorted()
    }

    /// Throws unless `date` lies within the dataset's temporal extent.
    public func checkInExtent(_ date: CalendarDate) throws(DateOutOfRange) {
        guard metadata.temporalExtent.contains(date) else {
            throw DateOutOfRange(date: date, extent: metadata.temporalExtent)
        }
    }
}

/// A date outside the dataset's `temporal_extent`: an error, never an empty map.
public struct DateOutOfRange: Error, Sendable, CustomStringConvertible {
    /// The date that was asked for.
    public var date: CalendarDate
    /// The first and last dates the dataset describes.
    public var extent: ClosedRange<CalendarDate>

    /// The error for `date` outside `extent`.
    public init(date: CalendarDate, extent: ClosedRange<CalendarDate>) {
        self.date = date
        self.extent = extent
    }
    /// Names the date and the extent it falls outside.
    public var description: String {
        "\(date) is outside the dataset's temporal extent (\(extent.lowerBound) to \(extent.upperBound))"
    }
}
