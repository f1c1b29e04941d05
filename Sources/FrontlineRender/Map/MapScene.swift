import FrontlineData
import FrontlineGeometry

/// What a map shows: the control of one date, or what changed between two dates (drawn over
/// the control of the later one).
public enum MapSubject: Sendable, Hashable {
    case date(CalendarDate)
    case change(from: CalendarDate, to: CalendarDate)

    /// The date whose control is drawn.
    public var controlDate: CalendarDate {
        switch self {
        case .date(let d): return d
        case .change(_, let to): return to
        }
    }
}

/// The features of every source-layer for one subject, in Web Mercator metres, with the
/// properties styles see, indexed for tile queries. Built once per subject; read by any thread.
public struct MapScene: Sendable {
    /// One drawable feature.
    public struct Feature: Sendable {
        /// Web Mercator metres.
        public var geometry: Geometry
        /// Bounding box of `geometry`.
        public var box: BoundingBox
        /// What style expressions see (`get`).
        public var properties: [String: JSONValue]
        /// "Point", "LineString" or "Polygon", for `geometry-type`.
        public var geometryType: String
    }

    /// One source-layer's features and their index.
    public struct Layer: Sendable {
        /// The features, in the data's order.
        public var features: [Feature]
        /// Index over the features' boxes.
        public var index: BoxTree
        /// Features whose box meets `box` (Web Mercator metres), in order.
        public func candidates(in box: BoundingBox) -> [Int] { index.query(box) }
    }

    /// What is shown.
    public let subject: MapSubject
    /// Source-layer name → its features.
    public let layers: [String: Layer]
    /// The parties that hold ground on the control date (or gained or lost it), in dataset order.
    public let partiesShown: [Party]
    /// Every party of the dataset, in order: the style's `party_index`.
    public let parties: [Party]
    /// The changes drawn on a change map.
    public let changes: [ChangeOfControl]
    /// Events shown: those of the change period, or of the 31 days up to the date.
    public let eventWindow: ClosedRange<CalendarDate>
    /// The extent the data describes (the dataset's bbox), in Web Mercator metres: outside it
    /// the map is veiled, since there is no data there.
    public let extent: BoundingBox

    /// The source-layer names a style may use.
    public static let sourceLayers = ["control", "zones", "villages", "heights", "pipeline", "events", "basemap", "changes"]

    /// Gathers the features of `subject` from a dataset and its projected layers. With a
    /// `language`, villages' and heights' `name` is their name in it where known.
    public init(dataset: Dataset, projected: ProjectedLayers, subject: MapSubject, language: String? = nil) throws {
        let date = subject.controlDate
        try dataset.checkInExtent(date)
        self.subject = subject
        parties = dataset.metadata.parties
        extent = try Projection.webMercator().forwardBox(dataset.metadata.bbox)
        let partyIndex = Dictionary(uniqueKeysWithValues: parties.enumerated().map { ($1.id, $0) })

        var changes: [ChangeOfControl] = []
        if case .change(let from, let to) = subject {
            try dataset.checkInExtent(from)
            changes = try dataset.changes(from: from, to: to)
            eventWindow = from...to
        } else {
            eventWindow = date.adding(days: -30)...date
        }
        self.changes = changes
        let changedVillages = Set(changes.flatMap { $0.villages.map(\.id) })
        let changedHeights = Set(changes.flatMap { $0.heights.map(\.id) })

        func feature(_ g: Geometry, _ properties: [String: JSONValue]) -> Feature? {
            guard let box = g.boundingBox else { return nil }
            let type = g.kind.isPolygonal ? "Polygon" : g.kind.isLineal ? "LineString" : g.kind.isPuntal ? "Point" : "Unknown"
            return Feature(geometry: g, box: box, properties: properties, geometryType: type)
        }
        var layers: [String: [Feature]] = [:]

        let projection = try Projection.webMercator()
        var held = Set<String>()
        layers["control"] = try dataset.control(on: date).compactMap { area in
            held.insert(area.partyID)
            var p: [String: JSONValue] = ["controlled_by": .string(area.partyID),
                                          "party_index": .number(Double(partyIndex[area.partyID] ?? -1)),
                                          "party_name": .string(dataset.party(area.partyID)?.name ?? area.partyID),
                                          "valid_from": .string(area.period.from.description)]
            if let source = area.source { p["source"] = .string(source) }
            return feature(try projection.forward(area.geometry), p)
        }
        layers["zones"] = dataset.zones.indices.compactMap { i in
            dataset.zones[i].period.contains(date) ? feature(projected.zones.geometries[i], dataset.zones[i].properties) : nil
        }
        layers["villages"] = dataset.villages.indices.compactMap { i in
            var p = dataset.villages[i].properties
            p["name"] = .string(dataset.villages[i].name(in: language))
            p["changed"] = .bool(changedVillages.contains(dataset.villages[i].id))
            return feature(projected.villages.geometries[i], p)
        }
        layers["heights"] = dataset.heights.indices.compactMap { i in
            var p = dataset.heights[i].properties
            p["name"] = .string(dataset.heights[i].name(in: language))
            p["changed"] = .bool(changedHeights.contains(dataset.heights[i].id))
            return feature(projected.heights.geometries[i], p)
        }
        layers["pipeline"] = dataset.pipeline.indices.compactMap { i in
            var p = dataset.pipeline[i].properties
            p.removeValue(forKey: "status_events")
            if let status = dataset.pipeline[i].status(on: date) { p["status"] = .string(status.status.rawValue) }
            return feature(projected.pipeline.geometries[i], p)
        }
        let window = eventWindow
        layers["events"] = dataset.events.indices.compactMap { i in
            window.contains(dataset.events[i].date) ? feature(projected.events.geometries[i], dataset.events[i].properties) : nil
        }
        layers["basemap"] = dataset.basemap.indices.compactMap { i in
            var p = dataset.basemap[i].properties
            // Countries, rivers and other context named in several languages, like the places.
            if let language, let name = p["names"]?[language]?.stringValue { p["name"] = .string(name) }
            return feature(projected.basemap.geometries[i], p)
        }

        layers["changes"] = try changes.compactMap { c in
            for party in [c.from, c.to] where party != .none { held.insert(party.id) }
            return feature(try projection.forward(c.geometry), [
                "from": .string(c.from.id), "to": .string(c.to.id),
                "from_name": .string(c.from.name), "to_name": .string(c.to.name),
                "from_index": .number(Double(partyIndex[c.from.id] ?? -1)), "to_index": .number(Double(partyIndex[c.to.id] ?? -1)),
                "area_km2": .number((c.areaKm2 * 100).rounded() / 100),
            ])
        }
        partiesShown = parties.filter { held.contains($0.id) }
        self.layers = layers.mapValues { Layer(features: $0, index: BoxTree($0.map { Optional($0.box) })) }
    }

    /// The layer with this source-layer name (empty when the dataset has none).
    public func layer(_ name: String) -> Layer {
        layers[name] ?? Layer(features: [], index: BoxTree([]))
    }
}
