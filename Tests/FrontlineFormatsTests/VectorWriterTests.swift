import Foundation
import FrontlineData
import FrontlineGeometry
import Testing
@testable import FrontlineFormats

@Suite struct VectorWriterTests {
    /// The default dataset's snapshot on 2022-03-26 as features (two parties and `none`), made once.
    static let snapshot = Result {
        let dataset = try FolderDataSource(directory: GDALTools.repository.appendingPathComponent("geodata")).load()
        return try dataset.snapshot(on: CalendarDate("2022-03-26")!).features(parties: dataset.partiesWithNone)
    }

    static let fields = ["controlled_by", "party_name", "date", "area_km2"]

    /// Each format, the field names GDAL reports for it, and its layer geometry type in `ogrinfo`.
    @Test(arguments: [
        ("gpkg", fields, "Multi Polygon"),
        ("shp", ["controlled", "party_name", "date", "area_km2"], "Polygon"),
        ("kml", fields, "Unknown (any)"),  // LIBKML reads a KML layer without one geometry type
        ("fgb", fields, "Multi Polygon"),
        ("csv", fields, "Unknown (any)"),
    ])
    func everyFormatReadsBackWithOgrinfoAndVectorReader(_ ext: String, _ fieldNames: [String], _ geometryType: String) throws {
        let features = try Self.snapshot.get()
        try #require(features.map { $0.properties[0].1 } == [.string("karabakh-armenian"), .string("azerbaijani"), .string("none")])
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("snapshot.\(ext)").path
        try VectorWriter.write(features, to: path, layerName: "snapshot")

        let summary = try GDALTools.run("ogrinfo", ["-ro", "-al", "-so", path])
        #expect(summary.contains("Feature Count: 3"), "\(summary)")
        #expect(summary.contains("Geometry: \(geometryType)"), "\(summary)")
        let reported = summary.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, [" String", " Real", " Integer", " Integer64", " Date"].contains(where: { parts[1].hasPrefix($0 + " ") }) else { return nil }
            return String(parts[0])
        }
        for name in fieldNames { #expect(reported.contains(name), "\(name) missing from \(reported)") }
        let full = try GDALTools.run("ogrinfo", ["-ro", "-al", path])
        for name in ["Karabakh Armenian forces", "Azerbaijani forces", "No party"] { #expect(full.contains(name)) }

        let read = try VectorReader.read(path).layers
        try #require(read.count == 1)
        try #require(read[0].features.count == features.count)
        for (back, written) in zip(read[0].features, features) {
            let expected = Geodesic.wgs84.areaKm2(try #require(written.geometry))
            let actual = Geodesic.wgs84.areaKm2(try #require(back.geometry))
            #expect(abs(actual - expected) <= 1e-6 * expected, "\(ext): \(actual) km² read back, \(expected) km² written")
            #expect(back.properties.contains { $0.1 == written.properties[1].1 }, "\(ext): party_name lost")
        }
    }

    @Test func geoJSONIsTheProjectsOwnBytes() throws {
        let features = try Self.snapshot.get()
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("snapshot.geojson")
        try VectorWriter.write(features, to: path.path, layerName: "snapshot")
        #expect(try Data(contentsOf: path) == Data(JSONWriter.featureCollection(features)))
    }

    @Test func propertiesKeepTheirTypesAndListsBecomeJSONText() throws {
        let features = [
            GeoJSONFeature(geometry: .point(46.75, 39.81), properties: [
                ("name", .string("Ստեփանակերտ")), ("count", .number(3)), ("share", .number(0.5)),
                ("held", .bool(true)), ("villages", .array([.string("Parukh"), .string("Khramort")])),
            ]),
            GeoJSONFeature(geometry: .point(46.7, 39.8), properties: [("name", .null), ("count", .number(-2))]),
        ]
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("points.gpkg").path
        try VectorWriter.write(features, to: path, layerName: "points")
        let back = try VectorReader.read(path).layers[0].features
        #expect(back.map { $0.geometry } == features.map { $0.geometry })
        #expect(back[0].properties.map(\.0) == ["name", "count", "share", "held", "villages"])
        #expect(back[0].properties.map(\.1) == [.string("Ստեփանակերտ"), .number(3), .number(0.5), .bool(true), .string("[\"Parukh\",\"Khramort\"]")])
        #expect(back[1].properties.map(\.1) == [.null, .number(-2), .null, .null, .null])
        let summary = try GDALTools.run("ogrinfo", ["-ro", "-al", "-so", path])
        #expect(summary.contains("count: Integer64"))
        #expect(summary.contains("held: Integer(Boolean)"))
    }

    @Test func aFailedWriteLeavesTheExistingFileAsItWas() throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mixed.shp").path
        let polygon = Geometry.polygon([[(0, 0), (1, 0), (1, 1), (0, 0)]])
        try VectorWriter.write([GeoJSONFeature(geometry: polygon, properties: [("n", .number(1))])], to: path, layerName: "mixed")
        let before = try directoryContents(directory)

        // A Shapefile holds one geometry type: the point after the polygon fails.
        let mixed = [GeoJSONFeature(geometry: polygon, properties: []), GeoJSONFeature(geometry: .point(0, 0), properties: [])]
        #expect {
            try VectorWriter.write(mixed, to: path, layerName: "mixed")
        } throws: { error in
            guard let error = error as? VectorFormatError else { return false }
            return error.code == .cannotWrite && error.file == path && error.featureIndex == 1 && !error.message.isEmpty
        }
        #expect(try directoryContents(directory) == before)
    }

    @Test(arguments: ["/nonexistent/dir/out.gpkg", "/proc/out.fgb"])
    func anUnwritableOutputIsAnErrorNamingIt(_ path: String) {
        #expect {
            try VectorWriter.write(try Self.snapshot.get(), to: path, layerName: "snapshot")
        } throws: { error in
            guard let error = error as? VectorFormatError else { return false }
            return error.code == .cannotWrite && error.file == path && error.description.hasPrefix(path)
        }
    }

    private func directoryContents(_ directory: URL) throws -> [String: Data] {
        var contents: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            contents[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return contents
    }
}
