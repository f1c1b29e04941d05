import FrontlineGeometry

extension OverlapReport {
    /// The report as JSON (pipeline pieces as GeoJSON geometries).
    public var json: [UInt8] {
        func party(_ p: Party) -> [(String, JSONValue)] { [("party", .string(p.id)), ("party_name", .string(p.name))] }
        func round(_ v: Double, _ places: Double = 10_000) -> JSONValue { .number((v * places).rounded() / places) }
        var w = JSONWriter()
        w.raw("{\"date\":")
        w.string(date.description)
        w.raw(",\"zones\":[")
        for (k, z) in zones.enumerated() {
            if k > 0 { w.raw(",") }
            w.object([
                ("name", .string(z.zone.name)), ("kind", .string(z.zone.kind)), ("area_km2", round(z.areaKm2)),
                ("shares", .array(z.shares.map { s in
                    .object(Dictionary(uniqueKeysWithValues: party(s.party) + [("area_km2", round(s.areaKm2)), ("percent", round(s.percent, 100))]))
                })),
            ])
        }
        w.raw("],\"villages\":")
        w.value(.array(villages.map { .object(["id": .string($0.place.id), "name": .string($0.place.name), "party": .string($0.party.id)]) }))
        w.raw(",\"heights\":")
        w.value(.array(heights.map { .object(["id": .string($0.place.id), "name": .string($0.place.name), "party": .string($0.party.id)]) }))
        w.raw(",\"pipelines\":[")
        for (k, p) in pipelines.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"name\":")
            w.string(p.route.name)
            w.raw(",\"length_km\":")
            w.value(round(p.lengthKm))
            w.raw(",\"status\":")
            if let s = p.status {
                var status: [(String, JSONValue)] = [("status", .string(s.status.rawValue)), ("since", .string(s.date.description))]
                if let l = s.location { status.append(("location", .array(l.map { .number($0) }))) }
                w.object(status)
            } else {
                w.raw("null")
            }
            w.raw(",\"shares\":[")
            for (j, s) in p.shares.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{\"party\":")
                w.string(s.party.id)
                w.raw(",\"party_name\":")
                w.string(s.party.name)
                w.raw(",\"length_km\":")
                w.value(round(s.lengthKm))
                w.raw(",\"pieces\":")
                w.geometry(s.pieces)
                w.raw("}")
            }
            w.raw("]}")
        }
        w.raw("]}\n")
        return w.bytes
    }

    /// The report as terminal tables: zones by party, the pipeline by party, places by party.
    public func table(language: String? = nil) -> String {
        var out = "Overlaps on \(date.longDescription)\n"
        if !zones.isEmpty {
            var t = TextTable(["Zone", "Party", "Area km²", "%"], [.left, .left, .right, .right])
            for z in zones {
                for (k, s) in z.shares.enumerated() {
                    t.add([k == 0 ? "\(z.zone.name) (\(formatQuantity(z.areaKm2)) km²)" : "", s.party.name,
                           formatQuantity(s.areaKm2), formatQuantity(s.percent)])
                }
            }
            out += "\nZones\n" + t.text + "\n"
        }
        if !pipelines.isEmpty {
            var t = TextTable(["Pipeline", "Party", "Length km", "Pieces"], [.left, .left, .right, .right])
            for p in pipelines {
                let status = p.status.map { " — \($0.status.rawValue) since \($0.date)" } ?? ""
                for (k, s) in p.shares.enumerated() {
                    t.add([k == 0 ? "\(p.route.name) (\(formatQuantity(p.lengthKm)) km\(status))" : "", s.party.name,
                           formatQuantity(s.lengthKm), String(s.pieces.ringEnds.count)])
                }
            }
            out += "\nPipeline\n" + t.text + "\n"
            for p in pipelines {
                guard let s = p.status, let location = s.location else { continue }
                let held = p.statusLocationParty.map { ", on ground held by \($0.name)" } ?? ""
                out += "\(p.route.name): \(s.status.rawValue) since \(s.date.longDescription) at \(location[1])° N, \(location[0])° E\(held)\n"
            }

        }
        for (title, list) in [("Villages", villages), ("Heights", heights)] where !list.isEmpty {
            var t = TextTable(["Party", "Count", title], [.left, .right, .left])
            let order = Dictionary(list.map { ($0.party.id, $0.party) }, uniquingKeysWith: { a, _ in a })
            for party in order.values.sorted(by: { $0.id == "none" ? false : $1.id == "none" ? true : $0.name < $1.name }) {
                let names = list.filter { $0.party == party }.map { $0.place.name(in: language) }
                t.add([party.name, String(names.count), names.joined(separator: ", ")])
            }
            out += "\n\(title)\n" + t.text + "\n"
        }
        return out
    }
}
