import Testing
@testable import FrontlineGeometry

@Suite struct JSONParserTests {
    @Test func parsesNumbersExactly() throws {
        let v = try JSONParser.parse("[0, -0.5, 46.7510630, 1e3, 2.5E-3, 123456789012345678901234, 0.1, -1.7976931348623157e308]")
        guard case .numbers(let n) = v else { Issue.record("expected a flat number array"); return }
        #expect(n.values == [0, -0.5, 46.751063, 1000, 0.0025, Double("123456789012345678901234")!, 0.1, -1.7976931348623157e308])
        #expect(n.counts == [[8]])
    }

    @Test func keepsNestedCoordinatesFlat() throws {
        let v = try JSONParser.parse("[[[1,2],[3,4],[5,6],[1,2]],[]]")
        guard case .numbers(let n) = v else { Issue.record("expected a flat number array"); return }
        #expect(n.values == [1, 2, 3, 4, 5, 6, 1, 2])
        #expect(n.counts == [[2], [4, 0], [2, 2, 2, 2]])
        #expect(n.elements.count == 2)
    }

    @Test func mixedArraysFallBackToGeneralValues() throws {
        let v = try JSONParser.parse(#"[1, "two", [3], {"four": 4}]"#)
        #expect(v.arrayValue?.count == 4)
        #expect(v.arrayValue?[1] == .string("two"))
        #expect(v.arrayValue?[3]["four"] == .number(4))
    }

    @Test func decodesStringEscapes() throws {
        let v = try JSONParser.parse(#"{"a": "Şuşa \"Shushi\"\n\u0531\ud83d\ude00 \/"}"#)
        #expect(v["a"] == .string("Şuşa \"Shushi\"\nԱ😀 /"))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", "line 1"),
        ("{\"a\" 1}", "expected ':'"),
        ("[1, 2", "expected ',' or ']'"),
        ("{\n  \"a\": tru\n}", "line 2, column 8"),
        ("\"abc", "unterminated string"),
        ("[01]", "leading zero"),
        ("{} {}", "after the end"),
        ("{a: 1}", "quoted member name"),
    ])
    func reportsWhereTheTextIsWrong(text: String, expected: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "no error")")
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let deepObjects = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deepObjects) }
    }

    @Test func readsNaNAsANumberSoThatTheCallerCanSaySo() throws {
        let v = try JSONParser.parse("[NaN, Infinity, -Infinity]")
        guard case .numbers(let n) = v else { Issue.record("expected numbers"); return }
        #expect(n.values[0].isNaN && n.values[1] == .infinity && n.values[2] == -.infinity)
    }
}

@Suite struct GeoJSONGeometryTests {
    func geometry(_ text: String) throws -> Geometry { try Geometry(geoJSON: try JSONParser.parse(text)) }

    @Test func readsEveryGeometryType() throws {
        #expect(try geometry(#"{"type":"Point","coordinates":[46.75,39.82,1200]}"#) == .point(46.75, 39.82))
        let line = try geometry(#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#)
        #expect(line.kind == .lineString && line.ringEnds == [2])
        let mp = try geometry(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]],[[5.1,5.1],[5.2,5.1],[5.2,5.2],[5.1,5.1]]]]}"#)
        #expect(mp.polygonEnds == [1, 3])
        #expect(mp.ringEnds == [4, 8, 12])
        #expect(mp.polygons.count == 2)
        let gc = try geometry(#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}]}"#)
        #expect(gc.members.count == 2 && gc.members[1].ringEnds == [1, 2])
    }

    @Test(arguments: [
        (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#, GeoJSONGeometryError.Code.unclosedRing),
        (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#, .tooFewPositions),
        (#"{"type":"LineString","coordinates":[[0,0]]}"#, .tooFewPositions),
        (#"{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}"#, .invalidGeometry),
        (#"{"type":"Polygon"}"#, .invalidGeometry),
        (#"{"type":"Circle","coordinates":[0,0]}"#, .invalidGeometry),
        (#"{"type":"Point","coordinates":[0,95]}"#, .invalidCoordinate),
        (#"{"type":"Point","coordinates":[200,0]}"#, .invalidCoordinate),
        (#"{"type":"Point","coordinates":[NaN,0]}"#, .invalidCoordinate),
        (#"{"type":"Point","coordinates":["46.7",39.8]}"#, .invalidCoordinate),
        (#"{"type":"LineString","coordinates":[[0,0],[1]]}"#, .invalidCoordinate),
        // Found by fuzzing: a MultiPolygon with an empty polygon once crashed the GEOS conversion.
        (#"{"type":"MultiPolygon","coordinates":[[],[[[0,0],[1,0],[1,1],[0,0]]]]}"#, .invalidGeometry),
        (#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}"#, .invalidGeometry),
        (#"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[]]}"#, .tooFewPositions),
    ])
    func refusesBadGeometry(text: String, code: GeoJSONGeometryError.Code) {
        let error = #expect(throws: GeoJSONGeometryError.self) { try geometry(text) }
        #expect(error?.code == code, "\(error?.message ?? "")")
    }

    @Test func writesRFC7946() throws {
        // Clockwise shell and counter-clockwise hole in; the opposite must come out.
        let input = #"{"type":"Polygon","coordinates":[[[0,0],[0,10],[10,10],[10,0],[0,0]],[[2,2],[4,2],[4,4],[2,4],[2,2]]]}"#
        let g = try geometry(input)
        var w = JSONWriter()
        w.geometry(g)
        let back = try geometry(w.text)
        let rings = back.ringRanges
        #expect(back.signedRingArea(rings[0]) > 0, "shell counter-clockwise")
        #expect(back.signedRingArea(rings[1]) < 0, "hole clockwise")
        #expect(!w.text.contains("crs"))
    }

    @Test func roundsToSevenDecimals() {
        var w = JSONWriter()
        w.geometry(.point(46.123456789, -39.00000004))
        #expect(w.text == #"{"type":"Point","coordinates":[46.1234568,-39]}"#)
        var n = JSONWriter()
        n.fixed(-0.00000004, decimals: 7)
        n.raw(" ")
        n.fixed(1234.5, decimals: 1)
        #expect(n.text == "0 1234.5")
    }

    @Test func featureCollectionRoundTrip() throws {
        let square = Geometry.polygon([[(46, 39), (47, 39), (47, 40), (46, 40), (46, 39)]])
        let features = [
            GeoJSONFeature(geometry: square, properties: [("name", .string("Şuşa \"x\"")), ("n", .number(3)), ("ok", .bool(true))]),
            GeoJSONFeature(geometry: .point(46.5, 39.5), properties: [("list", .array([.string("a"), .null]))]),
        ]
        let text = JSONWriter.featureCollection(features)
        let parsed = try JSONParser.parse(text)
        #expect(parsed["type"] == .string("FeatureCollection"))
        let list = try #require(parsed["features"]?.arrayValue)
        #expect(list.count == 2)
        #expect(list[0]["properties"]?["name"] == .string("Şuşa \"x\""))
        #expect(list[0]["properties"]?["n"] == .number(3))
        #expect(try Geometry(geoJSON: list[0]["geometry"]!) == square)
        #expect(try Geometry(geoJSON: list[1]["geometry"]!) == .point(46.5, 39.5))
    }
}
