import Foundation
import Testing
import FrontlineData
import FrontlineGeometry

/// The shipped Nagorno-Karabakh dataset against the historical record (geodata/SOURCES.md).
@Suite struct DefaultDatasetTests {
    static let armenian = "karabakh-armenian"
    static let azerbaijani = "azerbaijani"

    /// (place id, date, controlling party) — villages and heights.
    static let record: [(String, String, String)] = [
        ("parukh", "2022-03-01", armenian), ("parukh", "2022-03-25", azerbaijani), ("parukh", "2022-03-28", azerbaijani),
        ("khramort", "2022-03-25", armenian),
        ("shusha", "2020-11-10", azerbaijani), ("shusha", "2022-03-26", azerbaijani),
        ("stepanakert", "2022-03-26", armenian), ("stepanakert", "2023-09-19", armenian), ("stepanakert", "2023-09-21", azerbaijani),
        ("lachin", "2020-12-05", armenian), ("lachin", "2022-08-24", armenian), ("lachin", "2022-08-27", azerbaijani),
        ("aghavno", "2022-08-24", armenian), ("aghavno", "2022-08-27", azerbaijani),
        ("sus", "2022-08-24", armenian), ("sus", "2022-08-27", azerbaijani),
        ("hin-tagher", "2020-12-11", armenian), ("hin-tagher", "2020-12-13", azerbaijani),
        ("khtsaberd", "2020-12-11", armenian), ("khtsaberd", "2020-12-13", azerbaijani),
        ("aghdam", "2020-11-15", armenian), ("aghdam", "2020-11-21", azerbaijani),
        ("karvachar", "2020-11-24", armenian), ("karvachar", "2020-11-26", azerbaijani),
        ("hadrut", "2020-11-10", azerbaijani),
        ("karmir-shuka", "2022-03-26", armenian), ("avetaranots", "2022-03-26", armenian), ("sghnakh", "2022-03-26", armenian),
        ("lisagor", "2022-09-01", armenian), ("mets-shen", "2022-09-01", armenian), ("yeghtsahogh", "2023-09-19", armenian),
        ("zarysly", "2022-03-10", azerbaijani),
        ("goris", "2022-03-26", "none"), ("kornidzor", "2020-11-10", "none"),
        ("karaglukh", "2022-03-01", armenian), ("karaglukh", "2022-03-25", azerbaijani),
        ("saribaba", "2022-08-02", armenian), ("saribaba", "2022-08-04", azerbaijani),
        ("girkhgiz", "2022-08-02", armenian), ("girkhgiz", "2022-08-04", azerbaijani),
        ("height-2054", "2023-03-24", armenian), ("height-2054", "2023-03-26", azerbaijani),
        ("boyuk-kirs", "2022-03-26", azerbaijani),
    ]

    let dataset = try! Dataset.load(from: Fixtures.defaultDataset)

    @Test func loadsWithoutErrorsOrWarnings() throws {
        #expect(dataset.warnings.isEmpty, "\(dataset.warnings.map(\.description))")
        let issues = try dataset.checkControlConsistency()
        #expect(issues.isEmpty, "\(issues.map(\.description))")
        #expect(dataset.metadata.defaultDate == date("2022-03-26"))
        #expect(Set(dataset.metadata.parties.map(\.id)) == [Self.armenian, Self.azerbaijani])
    }

    @Test(arguments: ["2020-11-10", "2022-03-28", "2022-08-30", "2023-09-20"])
    func eachPartysGroundIsValidOnceWrittenAsGeoJSON(day: String) throws {
        // Painting the record cell by cell once left collapsed slivers along the cells' sides,
        // which 7 decimals turned into rings of fewer than four distinct points.
        let context = try GeometryContext()
        for (party, ground) in try dataset.snapshot(on: date(day)).areas {
            var w = JSONWriter()
            w.geometry(ground, decimals: 7)
            let read = try Geometry(geoJSON: try JSONParser.parse(w.bytes))
            #expect(try context.make(read).isValid(), "\(party) on \(day)")
        }
    }

    @Test func coversTheRequiredExtent() throws {
        let box = dataset.metadata.bbox
        #expect(box.minX <= 45.9 && box.maxX >= 47.5 && box.minY <= 39.3 && box.maxY >= 40.5)
    }

    @Test func placesAreHeldByThePartyOnRecord() throws {
        let dates = Set(Self.record.map(\.1)).sorted()
        for day in dates {
            let report = try dataset.overlaps(on: date(day))
            let holders = Dictionary(uniqueKeysWithValues: (report.villages + report.heights).map { ($0.place.id, $0.party.id) })
            for (place, _, party) in Self.record.filter({ $0.1 == day }) {
                #expect(holders[place] == party, "\(place) on \(day): expected \(party), found \(holders[place] ?? "no such place")")
            }
        }
    }

    @Test func parukhAndKaraglukhPassToAzerbaijaniForcesInMarch2022() throws {
        let changes = try dataset.changes(from: date("2022-03-01"), to: date("2022-03-28"))
        let taken = try #require(changes.first { $0.from.id == Self.armenian && $0.to.id == Self.azerbaijani })
        #expect(taken.villages.map(\.id).contains("parukh"))
        #expect(taken.areaKm2 > 1 && taken.areaKm2 < 20, "a few km² around Parukh, got \(taken.areaKm2)")
        let box = try #require(taken.geometry.boundingBox)
        #expect(box.contains(x: 46.80, y: 40.01), "around Parukh: \(box)")
        // Nothing else changed hands in March 2022.
        #expect(changes.count == 1)
    }

    @Test func thePipelineCutWasOnAzerbaijaniHeldGround() throws {
        let report = try dataset.overlaps(on: date("2022-03-10"))
        let pipeline = try #require(report.pipelines.first)
        #expect(pipeline.status?.status == .cut)
        #expect(pipeline.statusLocationParty?.id == Self.azerbaijani)
        let km = Dictionary(uniqueKeysWithValues: pipeline.shares.map { ($0.party.id, $0.lengthKm) })
        #expect((km[Self.azerbaijani] ?? 0) > 1)
        #expect((km[Self.armenian] ?? 0) > 1)
        #expect((km["none"] ?? 0) > 1, "the Armenian section from Goris")
        #expect(close(km.values.reduce(0, +), pipeline.lengthKm, relative: 1e-6))
        let peacekeeping = try #require(report.zones.first { $0.zone.kind == "peacekeeping" })
        #expect(peacekeeping.shares.first?.party.id == Self.armenian)
        #expect(close(peacekeeping.shares.reduce(0) { $0 + $1.percent }, 100, relative: 1e-3))
    }

    @Test func villagesAreWithinAKilometreOfTheReference() throws {
        // A few reference coordinates from the gazetteers named in SOURCES.md.
        let reference: [String: (Double, Double)] = [
            "stepanakert": (46.751063, 39.8182184), "shusha": (46.7511501, 39.7632567), "parukh": (46.8014171, 40.0186228),
            "lachin": (46.5488378, 39.6401825), "hin-tagher": (46.8226283, 39.5100217), "aghdam": (46.9304843, 39.9932355),
        ]
        for (id, (lon, lat)) in reference {
            let place = try #require(dataset.villages.first { $0.id == id }, "no village \(id)")
            #expect(Geodesic.wgs84.distanceKm(from: (place.lon, place.lat), to: (lon, lat)) < 1, "\(id)")
        }
    }

    @Test func everyDateInTheExtentHasControl() throws {
        var day = dataset.metadata.temporalExtent.lowerBound
        while day <= dataset.metadata.temporalExtent.upperBound {
            #expect(try !dataset.control(on: day).isEmpty, "no control on \(day)")
            day = day.adding(days: 7)
        }
    }
}

@Suite struct ProjectedLayersTests {
    @Test func everyLayerIsProjectedOnceAndIndexed() throws {
        let dataset = try Dataset.load(from: Fixtures.defaultDataset)
        let layers = try dataset.webMercatorLayers()
        #expect(layers.villages.geometries.count == dataset.villages.count)
        // Stepanakert in metres, longitude first.
        let i = try #require(dataset.villages.firstIndex { $0.id == "stepanakert" })
        let p = layers.villages.geometries[i].position(0)
        #expect(abs(p.x - 5_204_304.5) < 1 && abs(p.y - 4_839_561.3) < 1)
        let around = BoundingBox(minX: p.x - 100, minY: p.y - 100, maxX: p.x + 100, maxY: p.y + 100)
        #expect(layers.villages.candidates(in: around) == [i])
    }
}
