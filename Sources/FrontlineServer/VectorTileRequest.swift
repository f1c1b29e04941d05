import FrontlineData
import FrontlineGeometry
import FrontlineRender
import FrontlineTiles

/// A vector tile URL checked against one data version: its subject, cache key and headers.
struct VectorTileRequest {
    let subject: MapSubject
    let tile: TileCoordinate
    let key: TileKey
    /// The ETag, quoted: the same for the same data files, across restarts.
    let etag: String
    let cacheControl: String

    /// Parses the route's parts; throws the API's 400/404 errors for anything else.
    init(date dateText: String, z zText: String, x xText: String, file: String, from: String?, version: String?, data: MapData) throws {
        guard file.hasSuffix(".mvt") else { throw APIError(.notFound, "vector tiles end in .mvt") }
        let stem = file.dropLast(4)
        guard let z = Int(zText), let x = Int(xText), let y = Int(stem), z >= 0, z <= 18,
              let tile = TileCoordinate(z: z, x: x, y: y) else {
            throw MapRequestError(.malformed, "no tile \(zText)/\(xText)/\(stem): zoom 0–18, and x and y from 0 to 2^zoom − 1")
        }
        self.tile = tile
        subject = try VectorTileRequest.subject(date: dateText, from: from, data: data)
        let fromDay = subject.earlierDate?.dayNumber
        key = TileKey(serial: data.serial, style: "", day: subject.controlDate.dayNumber, tile: tile, scale: 0, format: .mvt(fromDay: fromDay))
        var hash = data.versionHash
        hash.add("mvt")
        hash.add(key.day)
        hash.add(fromDay ?? -1)
        hash.add(tile.z)
        hash.add(tile.x)
        hash.add(tile.y)
        etag = "\"\(hash.hex)\""
        cacheControl = tileCacheControl(version: version, dateText: dateText, data: data)
    }

    /// A date's map, or with `from`, the change from that earlier date to it.
    static func subject(date dateText: String, from: String?, data: MapData) throws -> MapSubject {
        let date = try data.date(dateText)
        guard let from else { return .date(date) }
        let start = try data.date(from)
        guard start < date else { throw MapRequestError(.inconsistent, "from (\(start)) must be earlier than the date (\(date))") }
        return .change(from: start, to: date)
    }
}
