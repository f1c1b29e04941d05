import FrontlineGeometry

/// Who holds what on one date: per party, the union of its control features.
public struct ControlSnapshot: Sendable {
    /// The date described.
    public var date: CalendarDate
    /// Party id → the union of its ground (longitude/latitude); parties with no ground are absent.
    public var areas: [String: Geometry]
    /// Ground inside the dataset's bbox that no party holds.
    public var none: Geometry

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
        struct Job: Sendable { var date: Int; var party: String; var pieces: [Geometry] }
        var jobs: [Job] = []
        for (k, date) in dates.enumerated() {
            let active = control(on: date)
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
        let nones = try GeometryWorkers.map(snapshots) { context, snapshot -> Geometry in
            let held = Array(snapshot.areas.values)
            if held.isEmpty { return extent }
            let all = try context.union(of: held)
            return try context.make(extent).difference(all).polygonalPart()
        }
        for k in snapshots.indices { snapshots[k].none = nones[k] }
        return snapshots
    }
}
