import Foundation
import Testing
import FrontlineData
import FrontlineGeometry
import FrontlineRender
@testable import FrontlineTiles

/// The encoder against the specification's own examples and rules, read back with a decoder of
/// the command stream written here (the real clients are in VectorTileClientTests).
@Suite struct VectorTileTests {
    /// Geometry whose tile coordinates are its own coordinates: a box 0…4096 with y flipped.
    static let identity = BoundingBox(minX: 0, minY: 0, maxX: 4096, maxY: 4096)

    /// Positions given in tile coordinates (y down), as the specification's examples give them.
    static func tileGeometry(_ kind: FrontlineGeometry.Geometry.Kind, _ parts: [[(Double, Double)]], polygonEnds: [Int] = []) -> FrontlineGeometry.Geometry {
        var g = FrontlineGeometry.Geometry(kind: kind, coordinates: [], ringEnds: [], polygonEnds: polygonEnds)
        for part in parts {
            for (x, y) in part { g.coordinates += [x, 4096 - y] }
            g.ringEnds.append(g.positionCount)
        }
        return g
    }

    @Test func theSpecificationsExamplesEncodeToItsCommands() throws {
        // Vector Tile Specification 2.1, section 4.3.5 (Example Geometry Encodings).
        let point = try #require(VectorTile.Geometry(Self.tileGeometry(.point, [[(25, 17)]]), bounds: Self.identity, extent: 4096))
        #expect(point.type == .point && point.commands == [9, 50, 34])
        let line = try #require(VectorTile.Geometry(Self.tileGeometry(.lineString, [[(2, 2), (2, 10), (10, 10)]]), bounds: Self.identity, extent: 4096))
        #expect(line.type == .lineString && line.commands == [9, 4, 4, 18, 0, 16, 16, 0])
        let polygon = try #require(VectorTile.Geometry(Self.tileGeometry(.polygon, [[(3, 6), (8, 12), (20, 34), (3, 6)]], polygonEnds: [1]),
                                                       bounds: Self.identity, extent: 4096))
        #expect(polygon.type == .polygon && polygon.commands == [9, 6, 12, 18, 10, 12, 24, 44, 15])
        let multiPoint = try #require(VectorTile.Geometry(Self.tileGeometry(.multiPoint, [[(5, 7)], [(3, 2)]]), bounds: Self.identity, extent: 4096))
        #expect(multiPoint.commands == [17, 10, 14, 3, 9])
    }

    @Test func shellsTurnClockwiseOnScreenAndHolesTheOtherWay() throws {
        // A square with a hole, both counter-clockwise on screen: the shell must be turned.
        let square = [(0.0, 0.0), (0, 100), (100, 100), (100, 0), (0, 0)]
        let hole = [(20.0, 20.0), (20, 80), (80, 80), (80, 20), (20, 20)]
        let g = Self.tileGeometry(.polygon, [square, hole], polygonEnds: [2])
        let encoded = try #require(VectorTile.Geometry(g, bounds: Self.identity, extent: 4096))
        let rings = DecodedGeometry(encoded.commands).parts
        #expect(rings.count == 2)
        #expect(DecodedGeometry.doubleArea(rings[0]) == 2 * 100 * 100, "shell: positive area with y down")
        #expect(DecodedGeometry.doubleArea(rings[1]) == -2 * 60 * 60, "hole: negative")
    }

    @Test func ringsWithNoAreaAfterRoundingAreDroppedWithTheirHoles() throws {
        // At 1/100 of the grid, a 40-unit sliver is 0.4 of a unit wide: it rounds to a line.
        let bounds = BoundingBox(minX: 0, minY: 0, maxX: 409_600, maxY: 409_600)
        let sliver = FrontlineGeometry.Geometry.polygon([[(0, 0), (10_000, 0), (10_000, 40), (0, 40), (0, 0)]])
        #expect(VectorTile.Geometry(sliver, bounds: bounds, extent: 4096) == nil)
        let big = FrontlineGeometry.Geometry.polygon([[(0, 0), (10_000, 0), (10_000, 10_000), (0, 10_000), (0, 0)]])
        let both = FrontlineGeometry.Geometry.multiPolygon([sliver, big])
        let kept = try #require(VectorTile.Geometry(both, bounds: bounds, extent: 4096))
        #expect(DecodedGeometry(kept.commands).parts.count == 1)
        // A line that rounds to one position is dropped too.
        #expect(VectorTile.Geometry(.lineString([(0, 0), (30, 30)]), bounds: bounds, extent: 4096) == nil)
    }

    @Test func keysAndValuesAreStoredOncePerLayer() {
        var layer = VectorTile.Layer(name: "villages")
        let point = VectorTile.Geometry(.point(1, 1), bounds: Self.identity, extent: 4096)!
        for id in ["a", "b", "c"] {
            layer.add(point, properties: [("id", .string(id)), ("district", .string("Askeran")), ("population", .int(-7)), ("changed", .bool(true))])
        }
        var tile = VectorTile()
        tile.layers = [layer, VectorTile.Layer(name: "empty")]
        let bytes = tile.encoded()
        func occurrences(_ needle: [UInt8]) -> Int {
            (0...(bytes.count - needle.count)).filter { Array(bytes[$0..<($0 + needle.count)]) == needle }.count
        }
        func count(_ text: String) -> Int { occurrences(Array(text.utf8)) }
        #expect(count("Askeran") == 1 && count("district") == 1 && count("population") == 1)
        #expect(count("empty") == 0, "a layer with no features is left out")
        // A Value (layer field 4, 2 bytes long) holding -7 as sint64 (field 6): zigzag 13.
        #expect(occurrences([0x22, 0x02, 0x30, 0x0D]) == 1)
    }

    @Test func aTileOfTheDefaultDataHoldsTheLayersThatReachIt() throws {
        let source = try MapSource(source: FolderDataSource(directory: SeedTests.repository.appendingPathComponent("geodata")), styles: StyleCatalog(strict: true))
        let data = source.data
        let subject = MapSubject.change(from: CalendarDate("2022-03-01")!, to: CalendarDate("2022-03-28")!)
        let (scene, simplified) = try source.simplifiedScene(data, subject, zoom: 10, scale: 2)
        let tile = VectorTileClientTests.parukhTile(zoom: 10)
        let vector = try VectorTile(scene: scene, simplified: simplified, schema: VectorLayerSchema.layers(change: true), tile: tile)
        let names = vector.layers.filter { $0.featureCount > 0 }.map(\.name)
        #expect(["control", "zones", "villages", "heights", "changes"].allSatisfy(names.contains), "\(names)")
        #expect(vector.layers.first { $0.name == "changes" }?.featureCount == 1)
        // A tile far from the data holds nothing.
        let empty = try VectorTile(scene: scene, simplified: simplified, schema: VectorLayerSchema.layers(change: true),
                                   tile: TileCoordinate(z: 10, x: 0, y: 0)!)
        #expect(empty.encoded().isEmpty)
    }
}

/// A command stream read back: its parts (rings without their closing repeat) in tile coordinates.
struct DecodedGeometry {
    var parts: [[(x: Int64, y: Int64)]] = []

    init(_ commands: [UInt32]) {
        var i = 0, x: Int64 = 0, y: Int64 = 0
        while i < commands.count {
            let id = commands[i] & 7, count = Int(commands[i] >> 3)
            i += 1
            if id == 7 { continue }
            if id == 1 { parts.append([]) }
            for _ in 0..<count {
                func unzigzag(_ n: UInt32) -> Int64 { Int64(n >> 1) ^ -Int64(n & 1) }
                x += unzigzag(commands[i]); y += unzigzag(commands[i + 1])
                i += 2
                parts[parts.count - 1].append((x, y))
            }
        }
    }

    /// Twice the signed area of an open ring (positive: clockwise on screen).
    static func doubleArea(_ ring: [(x: Int64, y: Int64)]) -> Int64 {
        zip(ring, ring.dropFirst() + ring.prefix(1)).reduce(0) { $0 + $1.0.x * $1.1.y - $1.1.x * $1.0.y }
    }
}
