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
    public var date: CalendarDate
    public var label: String
}

/// The contents of `dataset.json`.
public struct DatasetMetadata: Sendable {
    public var title: String
    public var attribution: String
    public var license: String
    public var parties: [Party]
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
    public var partyID: String
    public var period: ValidityPeriod
    public var source: String?
    /// Polygon or MultiPolygon in longitude/latitude, valid (repaired on load if needed).
    public var geometry: Geometry
}

/// One feature of `zones.geojson` (a peacekeeping zone, a corridor).
public struct Zone: Sendable {
    public var index: Int
    public var name: String
    public var kind: String
    public var period: ValidityPeriod
    public var geometry: Geometry
    public var properties: [String: JSONValue]
}

/// A named point: a village (`villages.geojson`) or a height (`heights.geojson`).
public struct Place: Sendable {
    public var index: Int
    public var id: String
    public var name: String
    /// Names by language code (`hy`, `az`, `ru`, …).
    public var names: [String: String]
    public var lon: Double
    public var lat: Double
    /// Population (villages) when known.
    public var population: Int?
    /// Elevation in metres (heights) when known.
    public var elevation: Double?
    public var properties: [String: JSONValue]

    /// The name in `language`, falling back to `name`.
    public func name(in language: String?) -> String {
        language.flatMap { names[$0] } ?? name
    }
}

/// Whether gas flows through the pipeline, from a date on.
public struct PipelineStatusEvent: Sendable, Hashable {
    public enum Status: String, Sendable { case flowing, cut }
    public var date: CalendarDate
    public var status: Status
    /// Where it was cut or restored, when known (longitude, latitude).
    public var location: [Double]?
}

/// One feature of `pipeline.geojson`.
public struct PipelineRoute: Sendable {
    public var index: Int
    public var name: String
    public var geometry: Geometry
    /// In date order.
    public var statusEvents: [PipelineStatusEvent]
    public var properties: [String: JSONValue]

    /// The status in force on `date` (the last event on or before it), nil before the first.
    public func status(on date: CalendarDate) -> PipelineStatusEvent? {
        statusEvents.last { $0.date <= date }
    }
}

/// One feature of `events.geojson`.
public struct MapEvent: Sendable {
    public var index: Int
    public var date: CalendarDate
    public var kind: String
    public var title: String
    public var source: String?
    public var geometry: Geometry
    public var properties: [String: JSONValue]
}

/// One feature of `basemap.geojson`: context drawn under everything.
public struct BasemapFeature: Sendable {
    public var index: Int
    /// `border`, `road`, `river`, `town`, …
    public var featureClass: String
    public var geometry: Geometry
    public var properties: [String: JSONValue]
}

/// A dataset that follows the data contract, loaded and checked. Plain data: share it freely.
public struct Dataset: Sendable {
    /// The folder it was read from.
    public var directory: URL
    public var metadata: DatasetMetadata
    public var control: [ControlArea]
    public var zones: [Zone]
    public var villages: [Place]
    public var heights: [Place]
    public var pipeline: [PipelineRoute]
    public var events: [MapEvent]
    public var basemap: [BasemapFeature]
    /// Warnings found while loading (errors stop the load).
    public var warnings: [ValidationIssue]

    /// The parties of the dataset followed by ``Party/none``.
    public var partiesWithNone: [Party] { metadata.parties + [.none] }

    /// The party with this id (including `none`).
    public func party(_ id: String) -> Party? {
        id == Party.none.id ? .none : metadata.parties.first { $0.id == id }
    }

    /// The control features in force on `date`.
    public func control(on date: CalendarDate) -> [ControlArea] {
        control.filter { $0.period.contains(date) }
    }

    /// Every date on which control changes (each `valid_from` and `valid_to`), sorted.
    public var controlChangeDates: [CalendarDate] {
        Set(control.flatMap { [$0.period.from] + ($0.period.to.map { [$0] } ?? []) }).sorted()
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
    public var date: CalendarDate
    public var extent: ClosedRange<CalendarDate>
    public var description: String {
        "\(date) is outside the dataset's temporal extent (\(extent.lowerBound) to \(extent.upperBound))"
    }
}
