/// Writes JSON and GeoJSON text into a byte buffer, with no intermediate objects.
/// GeoJSON output follows RFC 7946: counter-clockwise outer rings, clockwise holes, at most
/// 7 decimals per coordinate (about 1 cm), no `crs` member.
public struct JSONWriter {
    /// The text written so far (UTF-8).
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// The text as a String.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends raw ASCII/UTF-8 text.
    public mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Appends a quoted, escaped JSON string.
    public mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(c)
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                bytes.append(hexDigit(c >> 4)); bytes.append(hexDigit(c & 0xF))
            default: bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    /// Appends a number: integers without a fraction, others in Swift's shortest round-trip
    /// form; NaN and infinities (which JSON cannot hold) as `null`.
    public mutating func number(_ v: Double) {
        guard v.isFinite else { raw("null"); return }
        if v == v.rounded(), abs(v) < 1e15 { raw(String(Int64(v))); return }
        raw("\(v)")
    }

    /// Appends a number rounded to `decimals` places (at most 9), trailing zeros dropped.
    public mutating func fixed(_ v: Double, decimals: Int) {
        guard v.isFinite else { raw("null"); return }
        let scale = pow10(decimals)
        let scaled = (abs(v) * Double(scale)).rounded()
        guard scaled < 9e18 else { number(v); return }
        let n = UInt64(scaled)
        if v < 0 && n != 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(n / scale)
        var fraction = n % scale
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var width = decimals
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        var digits = [UInt8](repeating: 0x30, count: width)
        var k = width - 1
        while fraction > 0 { digits[k] = 0x30 + UInt8(fraction % 10); fraction /= 10; k -= 1 }
        bytes.append(contentsOf: digits)
    }

    private func pow10(_ n: Int) -> UInt64 {
        var p: UInt64 = 1
        for _ in 0..<min(n, 9) { p *= 10 }
        return p
    }

    private mutating func appendDigits(_ n: UInt64) {
        if n < 10 { bytes.append(0x30 + UInt8(n)); return }
        var digits: [UInt8] = []
        var m = n
        while m > 0 { digits.append(0x30 + UInt8(m % 10)); m /= 10 }
        bytes.append(contentsOf: digits.reversed())
    }

    /// Appends any JSON value; object members in sorted key order so that output is stable.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: raw("null")
        case .bool(let b): raw(b ? "true" : "false")
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (k, e) in elements.enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                value(e)
            }
            bytes.append(UInt8(ascii: "]"))
        case .numbers(let numbers):
            value(.array(numbers.elements))
        case .object(let members):
            object(members.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }

    /// Appends an object with members in the given order.
    public mutating func object(_ members: [(String, JSONValue)]) {
        bytes.append(UInt8(ascii: "{"))
        for (k, (key, v)) in members.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            string(key)
            bytes.append(UInt8(ascii: ":"))
            value(v)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends a GeoJSON geometry object (RFC 7946 ring orientation, `decimals` places).
    public mutating func geometry(_ g: Geometry, decimals: Int = 7) {
        raw("{\"type\":\"")
        raw(g.kind.rawValue)
        if g.kind == .geometryCollection {
            raw("\",\"geometries\":[")
            for (k, m) in g.members.enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                geometry(m, decimals: decimals)
            }
            raw("]}")
            return
        }
        raw("\",\"coordinates\":")
        let rings = g.ringRanges
        switch g.kind {
        case .point:
            if let r = rings.first { position(g, r.lowerBound, decimals) } else { raw("[]") }
        case .multiPoint:
            list(rings) { w, r in w.position(g, r.lowerBound, decimals) }
        case .lineString:
            if let r = rings.first { path(g, r, reversed: false, decimals) } else { raw("[]") }
        case .multiLineString:
            list(rings) { w, r in w.path(g, r, reversed: false, decimals) }
        case .polygon:
            polygon(g, rings, 0..<rings.count, decimals)
        case .multiPolygon:
            list(g.polygonRanges) { w, p in w.polygon(g, rings, p, decimals) }
        case .geometryCollection:
            break
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func list<T>(_ items: [T], _ body: (inout JSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (k, item) in items.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            body(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func polygon(_ g: Geometry, _ rings: [Range<Int>], _ indices: Range<Int>, _ decimals: Int) {
        list(Array(indices)) { w, i in
            let r = rings[i]
            let counterClockwise = g.signedRingArea(r) > 0
            // Shells counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
            let wantCounterClockwise = i == indices.lowerBound
            w.path(g, r, reversed: counterClockwise != wantCounterClockwise, decimals)
        }
    }

    private mutating func path(_ g: Geometry, _ r: Range<Int>, reversed: Bool, _ decimals: Int) {
        bytes.append(UInt8(ascii: "["))
        let indices: [Int] = reversed ? r.reversed() : Array(r)
        for (k, i) in indices.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            position(g, i, decimals)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func position(_ g: Geometry, _ i: Int, _ decimals: Int) {
        bytes.append(UInt8(ascii: "["))
        fixed(g.coordinates[2 * i], decimals: decimals)
        bytes.append(UInt8(ascii: ","))
        fixed(g.coordinates[2 * i + 1], decimals: decimals)
        bytes.append(UInt8(ascii: "]"))
    }
}

/// A GeoJSON Feature to write: a geometry and ordered properties.
public struct GeoJSONFeature: Sendable {
    /// The geometry (null in the output when nil).
    public var geometry: Geometry?
    /// Properties in output order.
    public var properties: [(String, JSONValue)]

    /// Makes a feature.
    public init(geometry: Geometry?, properties: [(String, JSONValue)]) {
        self.geometry = geometry
        self.properties = properties
    }
}

extension JSONWriter {
    /// A FeatureCollection, one feature per line so that the files diff well.
    public static func featureCollection(_ features: [GeoJSONFeature], decimals: Int = 7) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"type\":\"FeatureCollection\",\"features\":[")
        for (k, f) in features.enumerated() {
            w.raw(k == 0 ? "\n" : ",\n")
            w.raw("{\"type\":\"Feature\",\"properties\":")
            w.object(f.properties)
            w.raw(",\"geometry\":")
            if let g = f.geometry { w.geometry(g, decimals: decimals) } else { w.raw("null") }
            w.raw("}")
        }
        w.raw("\n]}\n")
        return w.bytes
    }
}
