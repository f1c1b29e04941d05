import Dispatch
import Foundation
import Synchronization
import Testing
import FrontlineData
import FrontlineGeometry
@testable import FrontlineRender

/// The one map source: scenes made once however many ask, kept within their bytes, and one
/// description for TileJSON and MBTiles.
@Suite struct MapSourceTests {
    func source(cacheBytes: Int = 512 << 20) throws -> MapSource {
        try MapSource(source: FolderDataSource(directory: RenderFixtures.geodata), styles: StyleCatalog(strict: true), cacheBytes: cacheBytes)
    }

    @Test func concurrentAsksForAScenePrepareItOnce() throws {
        let source = try source()
        let data = source.data
        let scenes = Mutex<[ObjectIdentifier]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let prepared = try! source.scene(data, .date(date("2022-03-26")))
            scenes.withLock { $0.append(ObjectIdentifier(prepared)) }
        }
        #expect(Set(scenes.withLock { $0 }).count == 1)
        // Another subject is another scene; the same subject again is the same one.
        let other = try source.scene(data, .change(from: date("2022-03-01"), to: date("2022-03-28")))
        #expect(ObjectIdentifier(other) != scenes.withLock { $0[0] })
        #expect(ObjectIdentifier(try source.scene(data, .date(date("2022-03-26")))) == scenes.withLock { $0[0] })
    }

    @Test func simplifiedGeometryAndLabelsAreMadeOncePerZoom() throws {
        let source = try source()
        let prepared = try source.scene(source.data, .date(date("2022-03-26")))
        #expect(prepared.simplified(zoom: 10, scale: 1).made > 0)
        #expect(prepared.simplified(zoom: 10, scale: 1).made == 0, "kept, not made again")
        #expect(prepared.simplified(zoom: 10, scale: 2).made > 0, "another scale is another resolution")
        let style = try source.data.style("default")
        let first = try prepared.labels(style: style, zoom: 10)
        #expect(first.made > 0 && !first.labels.labels.isEmpty)
        let again = try prepared.labels(style: style, zoom: 10)
        #expect(again.made == 0, "placed once per style and zoom")
        #expect(again.labels.labels.map(\.candidate.text) == first.labels.labels.map(\.candidate.text))
    }

    @Test func scenesBeyondTheCacheBytesAreMadeAgain() throws {
        let one = try source().scene(try source().data, .date(date("2022-03-26"))).bytes
        // Room for one scene: asking for a second evicts the first.
        let source = try source(cacheBytes: one + one / 2)
        let data = source.data
        let first = ObjectIdentifier(try source.scene(data, .date(date("2022-03-26"))))
        _ = try source.scene(data, .date(date("2021-06-01")))
        #expect(ObjectIdentifier(try source.scene(data, .date(date("2022-03-26")))) != first)
    }

    @Test func tilesAreTheSameWhicheverOutputAsks() throws {
        let source = try source()
        let data = source.data
        let tile = TileCoordinate(z: 10, x: 644, y: 388)!
        let a = try source.tile(data, style: "default", date: date("2022-03-26"), tile: tile)
        let b = try source.tile(data, style: "default", date: date("2022-03-26"), tile: tile)
        #expect(a == b)
        #expect(throws: MapRequestError.self) { try source.tile(data, style: "nope", date: date("2022-03-26"), tile: tile) }
        #expect(throws: DateOutOfRange.self) { try source.tile(data, style: "default", date: date("2019-01-01"), tile: tile) }
    }

    @Test func tileJSONAndMBTilesDescribeTheSameTiles() throws {
        let source = try source()
        let set = try source.tileSet(source.data, style: "print", date: date("2022-03-26"), zooms: 6...12)
        guard case .object(let json) = set.tileJSON(tiles: "http://x/{z}/{x}/{y}.png") else { Issue.record("not an object"); return }
        let rows = set.mbtiles
        #expect(json["name"]?.stringValue == rows["name"])
        #expect(json["minzoom"]?.numberValue == Double(rows["minzoom"]!) && json["maxzoom"]?.numberValue == Double(rows["maxzoom"]!))
        #expect(json["bounds"]?.arrayValue?.compactMap(\.numberValue).map { String($0) }.joined(separator: ",") == rows["bounds"])
        #expect(json["attribution"]?.stringValue == rows["attribution"])
        #expect(rows["date"] == "2022-03-26" && json["date"]?.stringValue == "2022-03-26")
        #expect(TileSetMetadata.htmlEscaped("<a & \"b\">") == "&lt;a &amp; &quot;b&quot;&gt;")
    }
}
