import FrontlineData
import FrontlineGeometry
import FrontlineRender

/// What GetFeatureInfo says about a point, in its three formats.
struct FeatureInfoReport {
    let info: FeatureInfo
    let subject: MapSubject
    let dataset: Dataset

    /// (label, value) lines, in the order a reader wants them.
    var lines: [(String, String)] {
        var lines: [(String, String)] = []
        switch subject {
        case .date(let d): lines.append(("Date", d.description))
        case .change(let from, let to): lines.append(("Changes", "\(from) to \(to)"))
        }
        if let control = info.control {
            lines.append(("Held by", control["party_name"]?.stringValue ?? control["controlled_by"]?.stringValue ?? "?"))
        } else {
            lines.append(("Held by", "no party"))
        }
        for zone in info.zones { lines.append(("Zone", zone["name"]?.stringValue ?? zone["kind"]?.stringValue ?? "?")) }
        if let village = info.village { lines.append(("Village", village.properties["name"]?.stringValue ?? "?")) }
        if let height = info.height { lines.append(("Height", height.properties["name"]?.stringValue ?? "?")) }
        return lines
    }

    var text: [UInt8] { Array(lines.map { "\($0.0): \($0.1)" }.joined(separator: "\n").utf8) + [10] }

    var html: [UInt8] {
        let rows = lines.map { "<tr><th>\(XMLWriter.escape($0.0))</th><td>\(XMLWriter.escape($0.1))</td></tr>" }.joined(separator: "\n")
        return Array("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Frontline</title></head><body>\n<table>\n\(rows)\n</table>\n</body></html>\n".utf8)
    }

    /// A GeoJSON-like FeatureCollection without geometry: the features found and what they hold.
    var json: [UInt8] {
        var features: [JSONValue] = []
        func feature(_ layer: String, _ properties: [String: JSONValue]) -> JSONValue {
            .object(["type": .string("Feature"), "layer": .string(layer), "geometry": .null, "properties": .object(properties)])
        }
        if let control = info.control { features.append(feature("control", control)) }
        features += info.zones.map { feature("zones", $0) }
        for (layer, place) in [("villages", info.village), ("heights", info.height)] {
            guard let place else { continue }
            features.append(feature(layer, place.properties.merging(["distance_px": .number((place.pixels * 10).rounded() / 10)]) { a, _ in a }))
        }
        var w = JSONWriter()
        var top: [String: JSONValue] = ["type": .string("FeatureCollection"), "features": .array(features)]
        switch subject {
        case .date(let d): top["date"] = .string(d.description)
        case .change(let from, let to): top["from"] = .string(from.description); top["to"] = .string(to.description)
        }
        w.value(.object(top))
        w.raw("\n")
        return w.bytes
    }
}
