import Foundation
import FrontlineGeometry
import Testing
@testable import FrontlineFormats

@Suite struct VectorReaderTests {
    static let fixture = GDALTools.fixtures.appendingPathComponent("areas.geojson").path

    @Test func readsGeoJSONGeometriesAndTypedAttributes() throws {
        let layers = try VectorReader.read(Self.fixture).layers
        try #require(layers.count == 1)
        let features = layers[0].features
        #expect(features.count == 3)
        #expect(features.map { $0.geometry?.kind } == [.polygon, .multiPolygon, .polygon])
        #expect(features[0].properties.map(\.0) == ["name", "population", "share"])
        #expect(features[0].properties.map(\.1) == [.string("Ստեփանակերտ"), .number(55000), .number(0.25)])
        #expect(features[2].properties[1].1 == .null)
        #expect(features[0].geometry?.ringEnds == [5, 10])
        let first = try #require(features[0].geometry)
        #expect(first.position(1) == (46.80, 39.78))
    }

    /// ogr2ogr makes the GeoPackage and the Shapefile: VectorReader must find what GeoJSON holds.
    @Test(arguments: [("gpkg", "GPKG"), ("shp", "ESRI Shapefile")])
    func aConvertedFileReadsLikeItsGeoJSON(_ ext: String, _ driver: String) throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let converted = directory.appendingPathComponent("areas.\(ext)").path
        // Without ENCODING=UTF-8 a Shapefile would hold the names in ISO-8859-1, which cannot hold them.
        let options = ext == "shp" ? ["-lco", "ENCODING=UTF-8"] : []
        try GDALTools.run("ogr2ogr", ["-f", driver] + options + [converted, Self.fixture])
        let expected = try VectorReader.read(Self.fixture).layers[0].features
        let actual = try VectorReader.read(converted).layers[0].features
        try #require(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(GDALTools.rings(try #require(a.geometry)) == GDALTools.rings(try #require(e.geometry)))
            #expect(a.properties.map(\.0) == e.properties.map(\.0))
            #expect(a.properties.map(\.1) == e.properties.map(\.1))
        }
    }

    @Test func aWebMercatorFileReadsBackInLongitudeLatitude() throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let mercator = directory.appendingPathComponent("mercator.gpkg").path
        try GDALTools.run("ogr2ogr", ["-t_srs", "EPSG:3857", mercator, Self.fixture])
        let layer = try VectorReader.read(mercator).layers[0]
        #expect(layer.sourceCRS == "WGS 84 / Pseudo-Mercator")
        let expected = try VectorReader.read(Self.fixture).layers[0].features
        for (a, e) in zip(layer.features, expected) {
            let ga = try #require(a.geometry), ge = try #require(e.geometry)
            #expect(ga.coordinates.count == ge.coordinates.count)
            let worst = zip(ga.coordinates, ge.coordinates).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-7, "lon/lat differ by \(worst)°")
        }
    }

    @Test func zAndMValuesAreDropped() throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("z.geojson")
        try Data("""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[46.7,39.8,812],[46.8,39.9,1210]]}},
            {"type":"Feature","properties":{},"geometry":{"type":"MultiPoint","coordinates":[[46.7,39.8,5],[46.8,39.9,6]]}}]}
            """.utf8).write(to: file)
        let measured = directory.appendingPathComponent("zm.gpkg").path
        try GDALTools.run("ogr2ogr", ["-dim", "XYZM", measured, file.path])
        for path in [file.path, measured] {
            let features = try VectorReader.read(path).layers[0].features
            #expect(features[0].geometry == .lineString([(46.7, 39.8), (46.8, 39.9)]), "\(path)")
            #expect(features[1].geometry == Geometry(kind: .multiPoint, coordinates: [46.7, 39.8, 46.8, 39.9], ringEnds: [1, 2]), "\(path)")
        }
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        expectOpenError("/nonexistent/areas.gpkg")
    }

    @Test func aTextFileIsAnErrorNamingIt() throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("notes.txt")
        try Data("This is not a map.\n".utf8).write(to: file)
        expectOpenError(file.path)
    }

    /// GDAL reads a TIN, which has no GeoJSON type: the error names the layer and the feature.
    @Test func aFeatureWithoutAGeoJSONTypeIsAnErrorNamingIt() throws {
        let directory = try GDALTools.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("surfaces.csv")
        try Data("WKT,name\n\"POINT (46.7 39.8)\",a\n\"TIN (((0 0 0,0 1 0,1 0 0,0 0 0)))\",b\n".utf8).write(to: file)
        #expect {
            try VectorReader.read(file.path)
        } throws: { error in
            guard let error = error as? VectorFormatError else { return false }
            return error.code == .cannotRead && error.file == file.path && error.layer == "surfaces" && error.featureIndex == 1
                && error.message.contains("unsupported WKB geometry type")
        }
    }

    private func expectOpenError(_ path: String) {
        #expect {
            try VectorReader.read(path)
        } throws: { error in
            guard let error = error as? VectorFormatError else { return false }
            return error.code == .cannotOpen && error.file == path && !error.message.isEmpty && error.description.hasPrefix(path)
        }
    }
}
