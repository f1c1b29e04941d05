import FrontlineGeometry

extension Dataset {
    /// Overlaps under this area are warnings, above it errors (the data contract's tolerance).
    public static let overlapToleranceKm2 = 0.01

    /// Checks control across features on each date (by default every date on which control
    /// changes, within the temporal extent): two parties holding the same ground (an error above
    /// ``overlapToleranceKm2``, a warning below) and holes inside the held ground (warnings).
    public func checkControlConsistency(on dates: [CalendarDate]? = nil) throws -> [ValidationIssue] {
        let extent = metadata.temporalExtent
        // A record cannot hold overlaps, and its changes are checked as they are written: its
        // base is what there is to check.
        let checked = dates ?? (hasRecord ? Array(controlChangeDates.prefix(1)) : controlChangeDates).filter { extent.contains($0) }
        let file = Dataset.File.control.rawValue
        let snapshots = try self.snapshots(on: checked)
        let parties = metadata.parties
        let tolerance = Dataset.overlapToleranceKm2

        let found = try GeometryWorkers.map(snapshots) { context, snapshot -> [ValidationIssue] in
            var issues: [ValidationIssue] = []
            let held = parties.compactMap { p in snapshot.areas[p.id].map { (p, $0) } }
            let owned = try held.map { try context.make($0.1) }
            for i in held.indices {
                for j in held.indices where j > i {
                    guard let a = held[i].1.boundingBox, let b = held[j].1.boundingBox, a.intersects(b) else { continue }
                    let overlap = try owned[i].intersection(owned[j])
                    let polygonal = try overlap.polygonalPart()
                    let area = Geodesic.wgs84.areaKm2(polygonal)
                    guard area > 0 else { continue }
                    let place = try context.make(polygonal).pointOnSurface()
                    let severity: ValidationIssue.Severity = area > tolerance ? .error : .warning
                    issues.append(ValidationIssue(
                        severity, .overlappingControl, file: file,
                        "on \(snapshot.date) \(held[i].0.name) and \(held[j].0.name) both hold \(format(area)) km²"
                            + (severity == .warning ? " (under the \(tolerance) km² tolerance)" : ""),
                        location: place.map { ($0.x, $0.y) }))
                }
            }
            // Gaps: holes in the union of all held ground.
            guard !held.isEmpty else { return issues }
            let all = try context.union(of: held.map(\.1)).polygonalPart()
            let rings = all.ringRanges
            for polygon in all.polygonRanges {
                for ringIndex in polygon.dropFirst() {
                    let hole = Geometry(kind: .polygon, coordinates: Array(all.coordinates[(2 * rings[ringIndex].lowerBound)..<(2 * rings[ringIndex].upperBound)]),
                                        ringEnds: [rings[ringIndex].count], polygonEnds: [1])
                    let area = Geodesic.wgs84.areaKm2(hole)
                    guard area > tolerance else { continue }
                    let place = try context.make(hole).pointOnSurface()
                    issues.append(ValidationIssue(.warning, .coverageGap, file: file,
                                                  "on \(snapshot.date) a gap of \(format(area)) km² inside the held ground belongs to no party",
                                                  location: place.map { ($0.x, $0.y) }))
                }
            }
            return issues
        }
        return found.flatMap { $0 } + (try record.map(recordGeometryIssues) ?? [])
    }

    /// Every polygon of a record checked with GEOS (loading checks only files edited by hand).
    private func recordGeometryIssues(_ record: ControlRecord) throws -> [ValidationIssue] {
        let items = record.base.map { ("control/base.geojson (\($0.partyID))", $0.geometry) }
            + record.changes.map { ("control/\(RecordLayout.dayFile($0.date)) (change \($0.id))", $0.geometry) }
        return try GeometryWorkers.map(items) { context, item -> ValidationIssue? in
            let owned = try context.make(item.1)
            if try owned.isValid() { return nil }
            return ValidationIssue(.error, .invalidGeometry, file: item.0, property: "geometry",
                                   "invalid polygon: \(try owned.validityReason())")
        }.compactMap { $0 }
    }
}

/// An area for a message: one decimal from 1 km² up, more below so that small areas don't read as 0.
func format(_ km2: Double) -> String {
    var w = JSONWriter()
    w.fixed(km2, decimals: km2 >= 1 ? 1 : km2 >= 0.01 ? 3 : 6)
    return w.text
}
