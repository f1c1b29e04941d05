import Dispatch
import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender
import Synchronization

/// Renders every tile of a zoom range over an area, on every core, into a folder of
/// `Z/X/Y.png` (or `.mvt`) files or an MBTiles file.
public struct TileSeeder: Sendable {
    /// What each tile is.
    public enum Format: String, Sendable, CaseIterable {
        /// A PNG of the style.
        case png
        /// A Mapbox Vector Tile of the date (the server's `.mvt`): gzipped in MBTiles, as its
        /// specification asks (`format` `pbf`, `vector_layers` in its `json` row), plain in a folder.
        case mvt
    }

    /// Where tiles go.
    public enum Destination: Sendable {
        /// `DIR/Z/X/Y.png`.
        case directory(URL)
        /// An MBTiles 1.3 file.
        case mbtiles(String)
    }

    /// Where the tiles' maps come from.
    public let source: MapSource
    /// The data version drawn.
    public let data: MapData
    /// The style's name.
    public let style: String
    /// The date drawn.
    public let date: CalendarDate
    /// The language of labels (nil for the plain names).
    public let language: String?
    /// Zoom levels to seed.
    public let zooms: ClosedRange<Int>
    /// Area in longitude/latitude.
    public let bbox: BoundingBox
    /// Device pixels per pixel (2 gives 512 px tiles).
    public let scale: Double
    /// PNG or vector tiles.
    public let format: Format

    /// Makes a seeder of the current data of `source`.
    public init(source: MapSource, style: String, date: CalendarDate, language: String? = nil, zooms: ClosedRange<Int>,
                bbox: BoundingBox, scale: Double = 1, format: Format = .png) {
        self.source = source
        data = source.data
        self.style = style
        self.date = date
        self.language = language
        self.zooms = zooms
        self.bbox = bbox
        self.scale = scale
        self.format = format
    }

    /// The MBTiles metadata of the tiles seeded (the same description as the server's TileJSON).
    public func metadata() throws -> [String: String] {
        var metadata = try source.tileSet(data, style: style, date: date, bbox: bbox, zooms: zooms, scale: Int(scale)).mbtiles
        if format == .mvt {
            let tileJSON = source.vectorTileJSON(data, .date(date), tiles: "")
            metadata["format"] = "pbf"
            metadata["name"] = tileJSON["name"]?.stringValue ?? metadata["name"]
            var json = JSONWriter()
            json.value(.object(["vector_layers": tileJSON["vector_layers"] ?? .array([])]))
            metadata["json"] = json.text
        }
        return metadata
    }

    /// Every tile to render, zoom by zoom.
    public func tileList() throws -> [TileCoordinate] {
        let box = try Projection.webMercator().forwardBox(bbox)
        return zooms.flatMap { TileCoordinate.covering(box, zoom: $0) }
    }

    /// Renders and stores every tile; `progress(done, total)` is called as tiles finish
    /// (from worker threads). Returns the number of tiles written.
    @discardableResult
    public func run(to destination: Destination, progress: @Sendable (Int, Int) -> Void = { _, _ in }) throws -> Int {
        let list = try tileList()
        let metadata = try metadata()

        let writer: MBTilesWriter?
        switch destination {
        case .directory(let url):
            writer = nil
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        case .mbtiles(let path):
            writer = try MBTilesWriter(path: path)
            try writer?.setMetadata(metadata)
        }

        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let source = self.source, data = self.data, style = self.style, date = self.date, language = self.language, scale = self.scale
        let format = self.format
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var batch: [(TileCoordinate, [UInt8])] = []
            func flush() throws {
                guard !batch.isEmpty else { return }
                try writer?.add(batch)
                batch.removeAll(keepingCapacity: true)
            }
            while failure.withLock({ $0 == nil }) {
                let i = next.add(1, ordering: .relaxed).oldValue
                guard i < list.count else { break }
                let tile = list[i]
                do {
                    let bytes = format == .png
                        ? try source.tile(data, style: style, date: date, tile: tile, scale: scale, language: language)
                        : try source.vectorTile(data, .date(date), tile: tile)
                    if case .directory(let root) = destination {
                        let folder = root.appendingPathComponent("\(tile.z)/\(tile.x)", isDirectory: true)
                        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                        try Data(bytes).write(to: folder.appendingPathComponent("\(tile.y).\(format.rawValue)"))
                    } else {
                        batch.append((tile, format == .mvt ? try Gzip.compress(bytes) : bytes))
                        if batch.count >= 64 { try flush() }
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
                progress(done.add(1, ordering: .relaxed).newValue, list.count)
            }
            do { try flush() } catch { failure.withLock { $0 = $0 ?? error } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        try writer?.commit()
        return list.count
    }
}
