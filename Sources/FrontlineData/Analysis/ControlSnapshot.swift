import FrontlineGeometry

/// Who holds what on one date: per party, the union of its control features.
public struct ControlSnapshot: Sendable {
    /// The date described.
    public var date: CalendarDate
    /// Party id → the union of its ground (longitude/latitude); parties with no ground are absent.
    public var areas: [String: Geometry]
    /// Ground inside the dataset's bbox that no party holds.
    public var none: Geometry
    /// Ground held by more than one party, in km² (the sum of the parties' areas minus the area
    /// of their union: cheap, and enough to refuse double-counted answers).
    public var overlapKm2: Double = 0

    /// The ground of `partyID` (`none` included); empty when it holds nothing.
    public func ground(of partyID: String) -> Geometry {
        partyID == Party.none.id ? none : areas[partyID] ?? .empty
    }
}

extension Dataset {
    /// snapshot(D): per party, the union of its control on `date`, and the ground nobody holds.
    public func snapshot(on date: CalendarDate) throws -> ControlSnapshot {
        try snapshots(on: [date])[0]
    }

    /// Several snapshots at once, computed in parallel (one job per date and party).
    public func snapshots(on dates: [CalendarDate]) throws -> [ControlSnapshot] {
        if let first = dates.min(), let last = dates.max(), let record = try record(for: first...last) {
            return try snapshots(on: dates, from: record)
        }
        struct Job: Sendable { var date: Int; var party: String; var pieces: [Geometry] }
        var jobs: [Job] = []
        for (k, date) in dates.enumerated() {
            let active = try control(on: date)
            for party in metadata.parties {
                let pieces = active.filter { $0.partyID == party.id }.map(\.geometry)
                if !pieces.isEmpty { jobs.append(Job(date: k, party: party.id, pieces: pieces)) }
            }
        }
        let unions = try GeometryWorkers.map(jobs) { context, job -> Geometry in
            // A single valid polygon is its own union; skip the overlay.
            if job.pieces.count == 1 { return job.pieces[0] }
            return try context.union(of: job.pieces).polygonalPart()
        }
        var snapshots = dates.map { ControlSnapshot(date: $0, areas: [:], none: .empty) }
        for (job, union) in zip(jobs, unions) { snapshots[job.date].areas[job.party] = union }

        let extent = Geometry.rectangle(metadata.bbox)
        let nones = try GeometryWorkers.map(snapshots) { context, snapshot -> (Geometry, Double) in
            let held = Array(snapshot.areas.values)
            if held.isEmpty { return (extent, 0) }
            let all = try context.union(of: held)
            let overlap = held.reduce(0) { $0 + Geodesic.wgs84.areaKm2($1) } - Geodesic.wgs84.areaKm2(try all.polygonalPart())
            return (try context.make(extent).difference(all).polygonalPart(), max(0, overlap))
        }
        for k in snapshots.indices { (snapshots[k].none, snapshots[k].overlapKm2) = nones[k] }
        return snapshots
    }

    /// From a record: its state on each date (it cannot hold overlaps), and the ground nobody holds.
    private func snapshots(on dates: [CalendarDate], from record: ControlRecord) throws -> [ControlSnapshot] {
        let states = try dates.map { try record.state(on: $0) }
        let extent = Geometry.rectangle(metadata.bbox)
        let nones = try GeometryWorkers.map(states) { context, state -> Geometry in
            let held = Array(state.values)
            if held.isEmpty { return extent }
            return try context.make(extent).difference(try context.union(of: held)).polygonalPart()
        }
        return zip(dates, zip(states, nones)).map { ControlSnapshot(date: $0, areas: $1.0, none: $1.1) }
    }

    /// Snapshots for an analysis: refused when two parties hold the same ground on a date
    /// (above the tolerance), since every area would then be counted twice.
    func consistentSnapshots(on dates: [CalendarDate]) throws -> [ControlSnapshot] {
        let snapshots = try self.snapshots(on: dates)
        let issues = snapshots.filter { $0.overlapKm2 > Dataset.overlapToleranceKm2 }.map { s in
            ValidationIssue(.error, .overlappingControl, file: Dataset.File.control.rawValue,
                            "on \(s.date) parties overlap by \(format(s.overlapKm2)) km²; `frontline validate` shows where")
        }
        guard issues.isEmpty else { throw DatasetError(issues: issues) }
        return snapshots
    }
}
