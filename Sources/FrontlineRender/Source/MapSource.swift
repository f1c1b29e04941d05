import Foundation
import FrontlineData
import FrontlineGeometry
import Synchronization

/// The one answer to "the map of date D in style S": every output (tiles, report maps, legends,
/// TileJSON and MBTiles metadata) of every command and of the server comes from here. It holds
/// the current ``MapData`` (swapped whole on reload) and, per data version and subject, the
/// style-independent work (``PreparedScene``) in one LRU bounded in bytes; a scene is built once,
/// by the first caller, on the caller's thread (the server's render pool), while others wait for it.
public final class MapSource: Sendable {
    /// Where the data comes from.
    public let source: any DataSource
    /// Where the styles come from.
    public let styles: StyleCatalog

    private struct SceneKey: Hashable {
        var serial: Int
        var subject: MapSubject
        var language: String?
    }

    private let current: Mutex<MapData>
    private let scenes: ByteLimitedCache<SceneKey, OnceCell<PreparedScene>>
    /// The version whose load failed last, so that a broken file is reported once, not every poll.
    private let failedVersion = Mutex<String?>(nil)

    /// Loads the data and the styles; throws when they cannot be used at all. Prepared scenes are
    /// kept up to `cacheBytes` of geometry.
    public init(source: any DataSource, styles: StyleCatalog, cacheBytes: Int = 512 << 20) throws {
        self.source = source
        self.styles = styles
        scenes = ByteLimitedCache(limit: cacheBytes)
        current = Mutex(try MapSource.load(source, styles, version: MapSource.version(source, styles)))
    }

    /// The data a whole request must use.
    public var data: MapData { current.withLock { $0 } }

    /// What a reload found.
    public enum Reload: Sendable {
        /// Nothing changed (or it changed to a version that already failed to load).
        case unchanged
        /// A new version is served.
        case reloaded(version: String)
        /// The files changed but do not load; the previous version is still served.
        case failed(any Error)
    }

    /// Loads the data again when its files (or the styles) changed since the last load. A version
    /// that fails is reported once and not read again until the files change again.
    public func reloadIfChanged() -> Reload {
        let version = MapSource.version(source, styles)
        guard version != data.version, version != failedVersion.withLock({ $0 }) else { return .unchanged }
        do {
            // Loaded aside, then swapped in one step.
            let fresh = try MapSource.load(source, styles, version: version)
            // Files written while they were read: this load may mix old and new; read them again
            // at the next check rather than serve a mix under one version.
            guard MapSource.version(source, styles) == version else { return .unchanged }
            current.withLock { $0 = fresh }
            failedVersion.withLock { $0 = nil }
            scenes.removeAll { $0.serial != fresh.serial }
            return .reloaded(version: version)
        } catch {
            failedVersion.withLock { $0 = version }
            return .failed(error)
        }
    }

    /// The prepared scene of a subject: from the cache, or built here (once, however many ask).
    public func scene(_ data: MapData, _ subject: MapSubject, language: String? = nil) throws -> PreparedScene {
        let key = SceneKey(serial: data.serial, subject: subject, language: language)
        let cell = scenes.value(for: key, cost: 0) { OnceCell() }
        var built: PreparedScene?
        let prepared = try cell.value {
            let scene = PreparedScene(try MapScene(dataset: data.dataset, projected: data.projected, subject: subject, language: language))
            built = scene
            return scene
        }
        if let built { scenes.charge(key, bytes: built.bytes) }
        return prepared
    }

    /// A subject's scene with every feature simplified for a tile zoom at `scale` device pixels
    /// per pixel (see ``PreparedScene/simplified(zoom:scale:)``); the simplification is kept for
    /// later tiles and charged to the cache.
    public func simplifiedScene(_ data: MapData, _ subject: MapSubject, zoom: Int, scale: Double, language: String? = nil) throws
        -> (scene: MapScene, layers: [String: [Geometry]])
    {
        let prepared = try scene(data, subject, language: language)
        let (layers, made) = prepared.simplified(zoom: zoom, scale: scale)
        if made > 0 { scenes.charge(SceneKey(serial: data.serial, subject: subject, language: language), bytes: made) }
        return (prepared.scene, layers)
    }

    // MARK: Outputs

    /// One XYZ tile as PNG: 256 pixels a side times `scale` (2 for `@2x`).
    public func tile(_ data: MapData, style: String, date: CalendarDate, tile: TileCoordinate, scale: Double = 1,
                     language: String? = nil) throws -> [UInt8] {
        let style = try data.style(style)
        let prepared = try scene(data, .date(date), language: language)
        let canvas = try Canvas(width: 256, height: 256, format: .png, scale: scale)
        let made = try prepared.drawTile(tile, style: style, on: canvas)
        if made > 0 { scenes.charge(SceneKey(serial: data.serial, subject: .date(date), language: language), bytes: made) }
        return try canvas.finish()
    }

    /// A report map: the styled map over the requested area with its furniture, as PNG, SVG or
    /// PDF, on a printed page when the request names one. With no `bbox` or `around`, a change
    /// map is framed on the ground that changed hands; a map showing a small part of the data
    /// gets a locator inset unless the request says otherwise.
    public func reportMap(_ data: MapData, _ request: ReportRequest) throws -> [UInt8] {
        let style = try data.style(request.style)
        let prepared = try scene(data, request.subject, language: request.language)
        let m = data.metadata
        let frame = try MapFrame.area(of: prepared.scene, dataset: data.dataset, bbox: request.bbox, focus: request.around)
        let renderer = MapRenderer(style: style, scene: prepared.scene)
        func map(width: Int, height: Int) throws -> ReportMap {
            // Kept inside the data's extent, so that its straight edge never shows as the end of the map's fill.
            let viewport = try Viewport.fitting(mercator: frame.area, width: width, height: height).inside(prepared.scene.extent)
            var furniture = ReportFurniture(
                title: request.showTitle ? (request.title ?? m.title) : nil,
                dateLine: request.showTitle ? ReportFurniture.dateLine(for: request.subject) : nil,
                legend: request.showLegend ? renderer.legend(zoom: viewport.zoom, in: viewport.bounds) : [],
                scaleBar: request.showScaleBar, northArrow: request.showNorthArrow,
                attribution: request.showAttribution ? m.attribution : nil)
            if request.inset ?? MapFrame.needsInset(frame: viewport.bounds, extent: prepared.scene.extent) {
                furniture.inset = LocatorInset(style: style, prepared: prepared, frame: viewport.bounds, subject: frame.subject)
            }
            return ReportMap(prepared: prepared, style: style, viewport: viewport, scale: request.scale, furniture: furniture)
        }
        if let page = request.page { return try page.render(as: request.format, map: map) }
        return try map(width: request.width, height: request.height).render(as: request.format)
    }

    /// The legend entries of a map of the whole dataset (what a web map of it shows).
    public func legend(_ data: MapData, style: String, subject: MapSubject, language: String? = nil) throws -> [LegendEntry] {
        let style = try data.style(style)
        let scene = try scene(data, subject, language: language).scene
        let extent = scene.extent
        let zoom = max(0, min(18, log2(2 * WebMercator.halfWorld / max(extent.width, extent.height)) + 1))
        return MapRenderer(style: style, scene: scene).legend(zoom: zoom, in: extent)
    }

    /// What describes a set of tiles of a date and style: TileJSON for web maps and the MBTiles
    /// metadata table both come from it.
    public func tileSet(_ data: MapData, style: String, date: CalendarDate, bbox: BoundingBox? = nil,
                        zooms: ClosedRange<Int> = 0...18, scale: Int = 1) throws -> TileSetMetadata {
        _ = try data.style(style)
        let m = data.metadata
        return TileSetMetadata(
            name: "\(m.title) — \(date.longDescription) (\(style))",
            description: "Control as of \(date.longDescription), style \(style)",
            attribution: m.attribution, bounds: bbox ?? m.bbox, zooms: zooms, date: date, keyDates: m.keyDates,
            tileSize: 256 * scale)
    }

    // MARK: Loading

    private static func load(_ source: any DataSource, _ styles: StyleCatalog, version: String) throws -> MapData {
        let dataset = try source.load()
        return MapData(dataset: dataset, projected: try dataset.webMercatorLayers(), styles: try styles.loadAll(), version: version)
    }

    /// The data's and the styles' fingerprints and the running program's, since a new build may draw differently.
    private static func version(_ source: any DataSource, _ styles: StyleCatalog) -> String {
        var hash = FNV1a()
        hash.add(program)
        hash.add(source.location)
        hash.add(source.fingerprint())
        hash.add(styles.fingerprint())
        return hash.hex
    }

    private static let program = FileFingerprint.identity(Bundle.main.executablePath ?? CommandLine.arguments[0])
}

/// What a report map shows and how: its subject, style, area, size, format and furniture.
public struct ReportRequest: Sendable {
    /// A date's control, or the changes between two dates.
    public var subject: MapSubject
    /// The style's name.
    public var style: String = "default"
    /// The area shown, in longitude/latitude; when nil, the area around `around`, else on a
    /// change map the ground that changed hands, else the dataset's bbox.
    public var bbox: BoundingBox?
    /// A village or height to centre the map on (when there is no `bbox`).
    public var around: PlaceFocus?
    /// Draw the locator inset (true), leave it out (false), or draw it when the map shows a small
    /// part of the data (nil).
    public var inset: Bool?
    /// A printed page to put the map on (its size replaces `width` and `height`); nil for none.
    public var page: PrintPage?
    /// Size in pixels.
    public var width = 1600, height = 1200
    /// Device pixels per pixel (PNG only).
    public var scale = 1.0
    /// PNG, SVG or PDF.
    public var format: Canvas.Format = .png
    /// The language of place names (`hy`, `az`, `ru`); nil for the plain names.
    public var language: String?
    /// The title (the dataset's title when nil).
    public var title: String?
    /// Which furniture is drawn.
    public var showTitle = true, showLegend = true, showScaleBar = true, showNorthArrow = true, showAttribution = true

    /// A request for a subject with the defaults for the rest.
    public init(subject: MapSubject) { self.subject = subject }
}
