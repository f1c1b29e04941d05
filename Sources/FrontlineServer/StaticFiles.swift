import Foundation
import Hummingbird

/// The viewer's files and Leaflet's, and nothing else. The viewer is built into the program
/// (``StaticFiles/viewerFiles``), so `frontline serve` works from any folder; a `--viewer` folder's
/// files override it while one edits the viewer. Names are matched against the table and the
/// folders' listings, so no request can reach a file outside them.
struct StaticFiles: Sendable {
    /// A folder whose files are served instead of the built-in ones, when given.
    let viewerOverride: URL?
    let leaflet: URL

    static let types = ["html": "text/html", "js": "text/javascript", "css": "text/css", "png": "image/png", "svg": "image/svg+xml"]

    /// The built-in viewer by its path under `/` (the files of Sources/FrontlineServer/Viewer,
    /// which SwiftPM embeds as `PackageResources`, flattening the folders: file names are unique).
    static let viewerFiles: [String: [UInt8]] = [
        "index.html": PackageResources.index_html,
        "viewer.css": PackageResources.viewer_css,
        "js/page-errors.js": PackageResources.page_errors_js,
        "js/main.js": PackageResources.main_js,
        "js/api.js": PackageResources.api_js,
        "js/dom.js": PackageResources.dom_js,
        "js/format.js": PackageResources.format_js,
        "js/status.js": PackageResources.status_js,
        "js/state.js": PackageResources.state_js,
        "js/timeline.js": PackageResources.timeline_js,
        "js/map.js": PackageResources.map_js,
        "js/tiles.js": PackageResources.tiles_js,
        "js/legend.js": PackageResources.legend_js,
        "js/changes.js": PackageResources.changes_js,
        "js/events.js": PackageResources.events_js,
    ]

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/") { request, _ in try viewer("", "index.html", request) }
        router.getAndHead("/viewer.css") { request, _ in try viewer("", "viewer.css", request) }
        router.getAndHead("/js/:file") { request, context in try viewer("js", try context.parameters.require("file"), request) }
        router.getAndHead("/leaflet/:file") { request, context in try serve(leaflet, try context.parameters.require("file"), request) }
        router.getAndHead("/leaflet/images/:file") { request, context in
            try serve(leaflet.appendingPathComponent("images"), try context.parameters.require("file"), request)
        }
    }

    /// A viewer file: from the override folder when it lists `name` in `folder`, else built in.
    /// Revalidated on every load (the ETag makes that cheap): a module kept from an older program
    /// beside a newer main.js, or from before an edit, would break the import graph.
    func viewer(_ folder: String, _ name: String, _ request: Request) throws -> Response {
        let type = try Self.contentType(name)
        let path = folder.isEmpty ? name : "\(folder)/\(name)"
        let bytes: [UInt8]
        if let root = viewerOverride?.appendingPathComponent(folder),
           (try? FileManager.default.contentsOfDirectory(atPath: root.path))?.contains(name) == true,
           let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) {
            bytes = Array(data)
        } else if let builtIn = Self.viewerFiles[path] {
            bytes = builtIn
        } else {
            throw APIError(.notFound, "no such file")
        }
        return conditional(request, body(bytes, type: type, cache: "no-cache"))
    }

    /// A file of `folder` by plain name.
    func serve(_ folder: URL, _ name: String, _ request: Request) throws -> Response {
        let type = try Self.contentType(name)
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        let file = folder.appendingPathComponent(name).resolvingSymlinksInPath().standardizedFileURL
        // Debian's leaflet folder links to files elsewhere: resolve, then check the name again.
        guard file.lastPathComponent == name || root.path.hasPrefix("/usr/share/javascript") || file.path.hasPrefix(root.path + "/"),
              let data = FileManager.default.contents(atPath: file.path) else {
            throw APIError(.notFound, "no such file")
        }
        return conditional(request, body(Array(data), type: type, cache: "public, max-age=300"))
    }

    /// The content type of a plain file name (letters, digits, `.`, `-`, `_`; no leading dot) of a
    /// served kind; anything else is not found.
    static func contentType(_ name: String) throws -> String {
        let allowed = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
        guard allowed, !name.hasPrefix("."), let type = types[(name as NSString).pathExtension.lowercased()] else {
            throw APIError(.notFound, "no such file")
        }
        return type
    }
}
