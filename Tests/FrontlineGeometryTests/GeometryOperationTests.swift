import Foundation
import Testing
@testable import FrontlineGeometry

/// A unit square at the origin, counter-clockwise.
let unitSquare = Geometry.polygon([[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]])

@Suite struct GeometryOperationTests {
    let context = try! GeometryContext()

    @Test func roundTripsThroughGEOS() throws {
        let polygonWithHole = Geometry.polygon([
            [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)],
            [(2, 2), (2, 4), (4, 4), (4, 2), (2, 2)],
        ])
        let back = try context.make(polygonWithHole).value()
        #expect(back.kind == .polygon)
        #expect(back.ringEnds == [5, 10])
        #expect(back.coordinates == polygonWithHole.coordinates)
        #expect(try context.make(polygonWithHole).planarArea() == 96)
    }

    @Test func makeValidSplitsABowTieIntoTwoTriangles() throws {
        let bowTie = Geometry.polygon([[(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)]])
        let owned = try context.make(bowTie)
        #expect(try owned.isValid() == false)
        #expect(try owned.validityReason().contains("Self-intersection"))
        let repaired = try owned.makeValid()
        #expect(try repaired.isValid())
        let value = try repaired.polygonalPart()
        #expect(value.kind == .multiPolygon)
        #expect(value.polygons.count == 2)
        #expect(abs(try repaired.planarArea() - 2.0) < 1e-12)
    }

    @Test func geosErrorBecomesASwiftError() throws {
        let bowTie = try context.make(.polygon([[(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)]]))
        let square = try context.make(.polygon([[(1, -1), (3, -1), (3, 3), (1, 3), (1, -1)]]))
        let error = #expect(throws: GeometryError.self) { try bowTie.intersection(square) }
        #expect(error?.code == .geos)
        #expect(error?.operation == "GEOSIntersection_r")
        #expect(error?.message.contains("TopologyException") == true)
        // The context stays usable after an error.
        #expect(try context.make(unitSquare).planarArea() == 1)
    }

    @Test func tooShortRingIsAnInputError() throws {
        let bad = Geometry(kind: .polygon, coordinates: [0, 0, 1, 0, 0, 0], ringEnds: [3], polygonEnds: [1])
        let error = #expect(throws: GeometryError.self) { try context.make(bad) }
        #expect(error?.code == .invalidInput)
    }

    @Test func unionOfManySquaresIsOnePolygon() throws {
        let squares = (0..<10).map { i -> Geometry in
            let x = Double(i)
            return Geometry.rectangle(BoundingBox(minX: x, minY: 0, maxX: x + 1, maxY: 1))
        }
        let union = try context.union(of: squares)
        let value = try union.value()
        #expect(value.kind == .polygon)
        #expect(try union.planarArea() == 10)
    }

    @Test func intersectionAndDifferenceSplitTheArea() throws {
        let a = try context.make(.polygon([[(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]]))
        let b = try context.make(.polygon([[(3, 1), (6, 1), (6, 2), (3, 2), (3, 1)]]))
        #expect(try a.intersection(b).planarArea() == 1)
        #expect(try a.difference(b).planarArea() == 15)
        #expect(try a.union(b).planarArea() == 18)
        #expect(try a.intersects(b))
    }

    @Test func clipByRectangleKeepsTheInside() throws {
        let big = try context.make(.polygon([[(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]]))
        let clipped = try big.clipped(to: BoundingBox(minX: 8, minY: 8, maxX: 12, maxY: 12))
        #expect(try clipped.planarArea() == 4)
        #expect(try clipped.value().boundingBox == BoundingBox(minX: 8, minY: 8, maxX: 10, maxY: 10))
    }

    @Test func simplifyDropsNearlyCollinearVertices() throws {
        var ring: [(Double, Double)] = (0...100).map { (Double($0) / 10, $0 % 2 == 0 ? 0 : 0.001) }
        ring += [(10, 5), (0, 5), (0, 0)]
        let wiggly = Geometry.polygon([ring])
        let simple = try context.make(wiggly).simplified(tolerance: 0.01).value()
        #expect(simple.positionCount < 10)
        #expect(simple.positionCount >= 4)
    }

    @Test func preparedGeometryAnswersPointQueries() throws {
        let prepared = try context.make(unitSquare).prepared()
        #expect(try prepared.intersects(x: 0.5, y: 0.5))
        #expect(try prepared.intersects(x: 1, y: 0.5), "a point on the edge intersects")
        #expect(try prepared.intersects(x: 1.5, y: 0.5) == false)
        #expect(try prepared.contains(try context.make(.point(0.5, 0.5))))
    }

    @Test func workersEachGetTheirOwnContext() throws {
        let squares = (1...8).map { i -> Geometry in .rectangle(BoundingBox(minX: 0, minY: 0, maxX: Double(i), maxY: 1)) }
        let areas = try GeometryWorkers.map(squares) { context, g in try context.make(g).planarArea() }
        #expect(areas == (1...8).map(Double.init))
    }
}

@Suite struct BoxTreeTests {
    @Test func findsExactlyWhatABruteForceScanFinds() {
        var seed: UInt64 = 7
        func random() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        let boxes: [BoundingBox?] = (0..<2000).map { i in
            if i % 97 == 0 { return nil }
            let x = random() * 100, y = random() * 100
            return BoundingBox(minX: x, minY: y, maxX: x + random() * 3, maxY: y + random() * 3)
        }
        let tree = BoxTree(boxes)
        #expect(tree.count == boxes.compactMap { $0 }.count)
        for _ in 0..<200 {
            let x = random() * 100, y = random() * 100
            let probe = BoundingBox(minX: x, minY: y, maxX: x + random() * 10, maxY: y + random() * 10)
            let expected = boxes.indices.filter { boxes[$0]?.intersects(probe) == true }
            #expect(tree.query(probe) == expected)
        }
        #expect(BoxTree([]).query(BoundingBox(minX: 0, minY: 0, maxX: 1, maxY: 1)).isEmpty)
    }
}

@Suite struct DisplaySimplificationTests {
    @Test func dropsWhatCannotBeSeenAndKeepsShapes() throws {
        // A square ring with 400 positions along its edges, jittered by 0.001.
        var ring: [(Double, Double)] = []
        for i in 0..<100 { ring.append((Double(i) / 100, i % 2 == 0 ? 0 : 0.001)) }
        for i in 0..<100 { ring.append((1, Double(i) / 100)) }
        for i in 0..<100 { ring.append((1 - Double(i) / 100, 1)) }
        for i in 0..<100 { ring.append((0, 1 - Double(i) / 100)) }
        ring.append((0, 0))
        let square = Geometry.polygon([ring])
        let light = square.simplifiedForDisplay(tolerance: 0.01)
        #expect(light.positionCount <= 8)
        #expect(light.position(0) == light.position(light.positionCount - 1), "still closed")
        let context = try GeometryContext()
        #expect(abs(try context.make(light).planarArea() - 1) < 0.01)
        // A tolerance below the jitter keeps it.
        #expect(square.simplifiedForDisplay(tolerance: 0.0001).positionCount > 100, "the jittered edge stays; straight edges go")
        // Points and tiny rings are untouched.
        #expect(Geometry.point(1, 2).simplifiedForDisplay(tolerance: 10) == .point(1, 2))
        #expect(unitSquare.simplifiedForDisplay(tolerance: 10).positionCount == 5)
    }


    @Test func sharedFrontsAreSimplifiedOnceSoNeighboursStayFlush() throws {
        // Two areas of a 2 × 2 square meeting along a wiggly front near x = 1; their rings start
        // in different places and run the front in opposite directions, as real data does.
        let front: [(Double, Double)] = (0...200).map { k in
            let t = Double(k)
            return (1 + 0.02 * sin(t * 0.9) + 0.01 * sin(t * 0.13), t / 100)
        }
        let west = Geometry.polygon([[(0, 0)] + front + [(0, 2), (0, 0)]])
        let east = Geometry.polygon([[(2, 2)] + front.reversed() + [(2, 0), (2, 2)]])
        let context = try GeometryContext()
        func overlapAndGap(_ a: Geometry, _ b: Geometry) throws -> (overlap: Double, gap: Double) {
            let (ga, gb) = (try context.make(a), try context.make(b))
            return (try ga.intersection(gb).planarArea(), 4 - (try ga.union(gb).planarArea()))
        }
        let tolerance = 0.01
        // One by one, the two sides of the front are simplified differently: slivers open.
        let apart = try overlapAndGap(west.simplifiedForDisplay(tolerance: tolerance), east.simplifiedForDisplay(tolerance: tolerance))
        #expect(apart.overlap + apart.gap > 1e-4, "\(apart)")
        // Together, both keep the same line.
        let together = Geometry.simplifiedCoverage([west, east], tolerance: tolerance)
        let flush = try overlapAndGap(together[0], together[1])
        #expect(flush.overlap < 1e-12 && abs(flush.gap) < 1e-12, "\(flush)")
        #expect(together[0].positionCount < west.positionCount / 2 && together[1].positionCount < east.positionCount / 2)
        // Still within the tolerance of the original shapes.
        #expect(abs(try context.make(together[0]).planarArea() - (try context.make(west).planarArea())) < 2 * tolerance * 2)
        // An island and the hole it fills come out the same, wherever their rings start.
        let island = [(0.5, 0.5), (0.7, 0.52), (0.9, 0.5), (0.91, 0.7), (0.9, 0.9), (0.5, 0.9), (0.5, 0.5)]
        let hole = Array(island[2...5]) + Array(island[0...2])   // the same ring, begun elsewhere
        let outer = Geometry.polygon([[(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)], hole.reversed()])
        let pieces = Geometry.simplifiedCoverage([outer, .polygon([island])], tolerance: 0.05)
        let withHole = try overlapAndGap(pieces[0], pieces[1])
        #expect(withHole.overlap < 1e-12 && abs(withHole.gap) < 1e-12, "\(withHole)")
    }
}

@Suite struct DisplayClippingTests {
    let context = try! GeometryContext()

    @Test func ringsAreCutToTheBoxWithTheSameAreaAsGEOS() throws {
        // An L-shaped polygon with a hole, cut by a box through all of it.
        let shape = Geometry.polygon([
            [(0, 0), (10, 0), (10, 4), (4, 4), (4, 10), (0, 10), (0, 0)],
            [(1, 1), (1, 3), (3, 3), (3, 1), (1, 1)],
        ])
        let box = BoundingBox(minX: 2, minY: 2, maxX: 8, maxY: 8)
        let cut = shape.clippedForDisplay(to: box)
        let expected = try context.make(shape).intersection(try context.make(.rectangle(box))).planarArea()
        // Even-odd area of the cut rings (shell minus hole).
        let area = cut.ringRanges.enumerated().reduce(0.0) { sum, item in
            let a = abs(cut.signedRingArea(item.element))
            return sum + (item.offset == 0 ? a : -a)
        }
        #expect(abs(area - expected) < 1e-9, "\(area) vs \(expected)")
        #expect(cut.boundingBox.map { $0.minX >= 2 && $0.maxX <= 8 && $0.minY >= 2 && $0.maxY <= 8 } == true)
    }

    @Test func linesAreSplitWhereTheyLeaveTheBox() {
        let zigzag = Geometry.lineString([(-1, 1), (1, 1), (1, 3), (-1, 3), (-1, 5), (1, 5)])
        let cut = zigzag.clippedForDisplay(to: BoundingBox(minX: 0, minY: 0, maxX: 2, maxY: 6))
        #expect(cut.kind == .multiLineString)
        #expect(cut.ringEnds.count == 2)
        #expect(cut.coordinates == [0, 1, 1, 1, 1, 3, 0, 3, 0, 5, 1, 5])
    }

    @Test func whatLiesInsideIsReturnedAsItIs() {
        let g = Geometry.polygon([[(1, 1), (2, 1), (2, 2), (1, 1)]])
        #expect(g.clippedForDisplay(to: BoundingBox(minX: 0, minY: 0, maxX: 3, maxY: 3)) == g)
        #expect(g.clippedForDisplay(to: BoundingBox(minX: 5, minY: 5, maxX: 6, maxY: 6)).isEmpty)
    }
}
