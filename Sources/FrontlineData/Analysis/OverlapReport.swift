import FrontlineGeometry

/// overlaps(D): how zones, places and the pipeline divide between the parties on one date.
public struct OverlapReport: Sendable {
    /// A party's share of a zone.
    public struct Share: Sendable {
        /// The party holding this part of the zone (`none` possible).
        public var party: Party
        /// Geodesic area of the zone this party holds, in km².
        public var areaKm2: Double
        /// Of the zone's area, 0–100.
        public var percent: Double
    }

    /// A zone in force on the date, split by party.
    public struct ZoneSplit: Sendable {
        /// The zone as read from `zones.geojson`.
        public var zone: Zone
        /// Geodesic area of the whole zone, in km².
        public var areaKm2: Double
        /// Largest share first; parties with no ground in the zone are left out.
        public var shares: [Share]
    }

    /// Who holds a village's or height's ground.
    public struct PlaceControl: Sendable {
        /// The village or height.
        public var place: Place
        /// The party whose ground the point lies on on the report's date (`none` when no party holds it).
        public var party: Party
    }

    /// A party's part of a pipeline.
    public struct PipelineShare: Sendable {
        /// The party whose ground these pieces cross (`none` possible).
        public var party: Party
        /// Geodesic length of the pipeline on this party's ground, in km.
        public var lengthKm: Double
        /// The pieces on this party's ground (longitude/latitude lines).
        public var pieces: Geometry
    }

    /// A pipeline split by party, with its status on the date.
    public struct PipelineSplit: Sendable {
        /// The pipeline as read from `pipeline.geojson`.
        public var route: PipelineRoute
        /// Geodesic length of the whole pipeline, in km.
        public var lengthKm: Double
        /// The status event in force on the date (flowing or cut), nil before the first event.
        public var status: PipelineStatusEvent?
        /// Whose ground the status event's location is on, when it has one.
        public var statusLocationParty: Party?
        /// In the order of the dataset's parties, `none` last; parties with no length left out.
        public var shares: [PipelineShare]
    }

    /// The date the report describes.
    public var date: CalendarDate
    /// Each zone in force on the date, split by party, in file order.
    public var zones: [ZoneSplit]
    /// Each village with the party holding it on the date, in file order.
    public var villages: [PlaceControl]
    /// Each height with the party holding it on the date, in file order.
    public var heights: [PlaceControl]
    /// Each pipeline split by party, in file order.
    public var pipelines: [PipelineSplit]
}

extension Dataset {
    /// Zone shares under this area (0.1 ha) are left out: they are slivers along shared edges.
    public static let minimumShareKm2 = 0.001

    /// overlaps(D): each zone's area held by each party; each village's and height's
    /// controlling party; the pipeline's length and pieces on each party's ground.
    public func overlaps(on date: CalendarDate) throws -> OverlapReport {
        let snapshot = try consistentSnapshots(on: [date])[0]
        let parties = partiesWithNone
        let grounds = parties.map { snapshot.ground(of: $0.id) }

        let zones = self.zones.filter { $0.period.contains(date) }
        let zoneSplits = try GeometryWorkers.map(zones) { context, zone -> OverlapReport.ZoneSplit in
            let total = Geodesic.wgs84.areaKm2(zone.geometry)
            let owned = try context.make(zone.geometry)
            var shares: [OverlapReport.Share] = []
            for (party, ground) in zip(parties, grounds) where !ground.isEmpty {
                let area = Geodesic.wgs84.areaKm2(try owned.intersection(try context.make(ground)).polygonalPart())
                // Slivers along shared edges are float noise, not ground.
                if area >= Dataset.minimumShareKm2 { shares.append(.init(party: party, areaKm2: area, percent: total > 0 ? 100 * area / total : 0)) }
            }
            return .init(zone: zone, areaKm2: total, shares: shares.sorted { $0.areaKm2 > $1.areaKm2 })
        }

        let pipelineSplits = try GeometryWorkers.map(pipeline) { context, route -> OverlapReport.PipelineSplit in
            let owned = try context.make(route.geometry)
            var shares: [OverlapReport.PipelineShare] = []
            for (party, ground) in zip(parties, grounds) where !ground.isEmpty {
                let pieces = try owned.intersection(try context.make(ground)).value()
                let lineal = Geometry.lines(of: pieces)
                let length = Geodesic.wgs84.lengthKm(lineal)
                if length > 0 { shares.append(.init(party: party, lengthKm: length, pieces: lineal)) }
            }
            return .init(route: route, lengthKm: Geodesic.wgs84.lengthKm(route.geometry), status: route.status(on: date),
                         statusLocationParty: nil, shares: shares)
        }

        let context = try GeometryContext()
        let locators = try grounds.map { try PlaceLocator($0, in: context) }
        func controller(_ place: Place) throws -> Party {
            for (party, locator) in zip(parties, locators) where try locator.contains(place) { return party }
            return .none
        }
        var pipelines = pipelineSplits
        for k in pipelines.indices {
            guard let l = pipelines[k].status?.location else { continue }
            pipelines[k].statusLocationParty = try controller(Place(index: -1, id: "", name: "", names: [:], lon: l[0], lat: l[1], properties: [:]))
        }
        return OverlapReport(
            date: date, zones: zoneSplits,
            villages: try villages.map { .init(place: $0, party: try controller($0)) },
            heights: try heights.map { .init(place: $0, party: try controller($0)) },
            pipelines: pipelines)
    }
}

extension Geometry {
    /// The lineal parts of a geometry as one (Multi)LineString.
    static func lines(of g: Geometry) -> Geometry {
        var out = Geometry(kind: .multiLineString, coordinates: [], ringEnds: [])
        func collect(_ g: Geometry) {
            switch g.kind {
            case .lineString, .multiLineString:
                let offset = out.positionCount
                out.coordinates += g.coordinates
                out.ringEnds += g.ringEnds.map { $0 + offset }
            case .geometryCollection: g.members.forEach(collect)
            default: break
            }
        }
        collect(g)
        if out.ringEnds.count == 1 { out.kind = .lineString }
        return out
    }
}
