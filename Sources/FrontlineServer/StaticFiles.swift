import Foundation
import Hummingbird

/// The viewer's files and Leaflet's, and nothing else: names are matched against what the
/// folders hold, so no request can reach a file outside them.
struct StaticFiles: Sendable {
    let viewer: URL
    let leaflet: URL

    static let types = ["html": "text/html", "js": "text/javascript", "css": "text/css", "png": "image/png", "svg": "image/svg+xml"]

    func register(on router: Router<BasicRequestContext>) {
        router.getAndHead("/") { request, _ in try serve(viewer, "index.html", request) }
        router.getAndHead("/viewer.js") { request, _ in try serve(viewer, "viewer.js", request) }
        router.getAndHead("/viewer.css") { request, _ in try serve(viewer, "viewer.css", request) }
        router.getAndHead("/leaflet/:file") { request, context in try serve(leaflet, try context.parameters.require("file"), request) }
        router.getAndHead("/leaflet/images/:file") { request, context in
            try serve(leaflet.appendingPathComponent("images"), try context.parameters.require("file"), request)
        }
    }

    /// A file of `folder` by plain name (letters, digits, `.`, `-`, `_`; no leading dot).
    func serve(_ folder: URL, _ name: String, _ request: Request) throws -> Response {
        let allowed = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) }
        guard allowed, !name.hasPrefix("."), let type = StaticFiles.types[(name as NSString).pathExtension.lowercased()] else {
            throw APIError(.notFound, "no such file")
        }
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        let file = folder.appendingPathComponent(name).resolvingSymlinksInPath().standardizedFileURL
        // Debian's leaflet folder links to files elsewhere: resolve, then check the name again.
        guard file.lastPathComponent == name || root.path.hasPrefix("/usr/share/javascript") || file.path.hasPrefix(root.path + "/"),
              let data = FileManager.default.contents(atPath: file.path) else {
            throw APIError(.notFound, "no such file")
        }
        return conditional(request, body(Array(data), type: type, cache: "public, max-age=300"))
    }
}
