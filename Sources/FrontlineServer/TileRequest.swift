import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import HTTPTypes

/// A tile URL (`/styles/{style}/{date}/{z}/{x}/{y}[@2x].png[?v=…]`) checked against one data
/// version, and the headers its answer carries. The router's tile route and ``CachedTileHandler``
/// both answer from this, so a tile is the same whichever of them sends it.
struct TileRequest {
    let style: String
    let date: CalendarDate
    let tile: TileCoordinate
    let scale: Double
    /// The language of the labels (`?lang=`); nil for the plain names.
    let language: String?
    /// The cache key.
    let key: TileKey
    /// The ETag, quoted.
    let etag: String
    /// A past date's tiles under a versioned URL never change; everything else may, after a reload.
    let cacheControl: String

    /// Parses the route's parts; throws the API's 400/404 errors for anything else.
    init(style: String, date dateText: String, z zText: String, x xText: String, file: String, version: String?,
         language languageText: String? = nil, data: MapData) throws {
        guard let (stem, scale) = retinaFile(file, ending: ".png") else { throw APIError(.notFound, "tiles end in .png or @2x.png") }
        self.scale = Double(scale)
        guard let z = Int(zText), let x = Int(xText), let y = Int(stem), z >= 0, z <= 18,
              let tile = TileCoordinate(z: z, x: x, y: y) else {
            throw MapRequestError(.malformed, "no tile \(zText)/\(xText)/\(stem): zoom 0–18, and x and y from 0 to 2^zoom − 1")
        }
        _ = try data.style(style)
        self.style = style
        self.tile = tile
        date = try data.date(dateText)
        language = try LabelLanguage.parse(languageText)
        key = TileKey(serial: data.serial, style: style, day: date.dayNumber, tile: tile, scale: Int(scale), language: language)
        // The same for the same data files, across restarts.
        var hash = data.versionHash
        hash.add(style)
        hash.add(key.day)
        hash.add(tile.z)
        hash.add(tile.x)
        hash.add(tile.y)
        hash.add(key.scale)
        hash.add(language ?? "")
        etag = "\"\(hash.hex)\""
        cacheControl = tileCacheControl(version: version, dateText: dateText, data: data)
    }

    /// Splits a raw request path into the route's parts, or nil when it is not a tile URL that
    /// can be read without decoding (no percent escapes, query parameters `v` and `lang` at most once each).
    static func parts(ofPath path: String)
        -> (style: String, date: String, z: String, x: String, file: String, version: String?, language: String?)?
    {
        let bytes = path.utf8
        guard !bytes.contains(UInt8(ascii: "%")), !bytes.contains(UInt8(ascii: "+")) else { return nil }
        var version: String?, language: String?
        var pathEnd = bytes.endIndex
        if let mark = bytes.firstIndex(of: UInt8(ascii: "?")) {
            pathEnd = mark
            let query = bytes[bytes.index(after: mark)...]
            if !query.isEmpty {
                for parameter in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false) {
                    if parameter.starts(with: "v=".utf8), version == nil {
                        version = String(Substring(parameter.dropFirst(2)))
                    } else if parameter.starts(with: "lang=".utf8), language == nil {
                        language = String(Substring(parameter.dropFirst(5)))
                    } else {
                        return nil
                    }
                }
            }
        }
        let components = bytes[..<pathEnd].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard components.count == 7, components[0].isEmpty, components[1].elementsEqual("styles".utf8),
              !components[2...].contains(where: \.isEmpty) else { return nil }
        func text(_ i: Int) -> String { String(Substring(components[i])) }
        return (text(2), text(3), text(4), text(5), text(6), version, language)
    }

    /// The headers of a tile or of its `304`.
    func headers(notModified: Bool) -> HTTPFields {
        tileHeaders(type: "image/png", etag: etag, cacheControl: cacheControl, notModified: notModified)
    }

    /// True when the request's `If-None-Match` lists this tile's ETag (or `*`).
    func isHeld(by request: HTTPRequest) -> Bool {
        clientHas(etag, request.headerFields[.ifNoneMatch])
    }
}

/// What identifies a tile's bytes in the cache.
struct TileKey: Hashable, Sendable {
    /// ``MapData/serial``: a reload never serves an old version's tile.
    let serial: Int
    let style: String
    let day: Int
    let tile: TileCoordinate
    let scale: Int
    /// The language of the labels (nil for the plain names).
    var language: String? = nil
    /// PNG, or a vector tile (whose style is "" and scale 0: it has neither).
    var format: TileFormat = .png
}

/// What kind of bytes a tile is.
enum TileFormat: Hashable, Sendable {
    case png
    /// A vector tile of a date, or with `fromDay`, of the change from that day to the date.
    case mvt(fromDay: Int?)
}

/// `Cache-Control` of a tile: a past date's tile under a versioned URL never changes; everything
/// else may, after a reload.
func tileCacheControl(version: String?, dateText: String, data: MapData) -> String {
    version == data.version && dateText != "latest" ? "public, max-age=31536000, immutable" : "public, max-age=60"
}

/// The headers of a tile (of `type`) or of its `304`.
func tileHeaders(type: String, etag: String, cacheControl: String, notModified: Bool) -> HTTPFields {
    var fields = HTTPFields()
    fields.reserveCapacity(8)
    if !notModified { fields.append(HTTPField(name: .contentType, value: type)) }
    fields.append(HTTPField(name: .eTag, value: etag))
    fields.append(HTTPField(name: .cacheControl, value: cacheControl))
    fields.append(HTTPField(name: .accessControlAllowOrigin, value: "*"))
    return fields
}

/// The stem and scale of a file segment `NAME.ext` (1) or `NAME@2x.ext` (2); nil for another ending.
func retinaFile(_ file: String, ending: String) -> (stem: Substring, scale: Int)? {
    guard file.hasSuffix(ending) else { return nil }
    let stem = file.dropLast(ending.count)
    return stem.hasSuffix("@2x") ? (stem.dropLast(3), 2) : (stem, 1)
}

/// True when an `If-None-Match` value lists `tag` (or `*`).
func clientHas(_ tag: String, _ ifNoneMatch: String?) -> Bool {
    guard let asked = ifNoneMatch else { return false }
    return asked.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { $0 == tag || $0 == "*" }
}
