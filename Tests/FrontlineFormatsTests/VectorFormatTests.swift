import Testing
@testable import FrontlineFormats

@Suite struct VectorFormatTests {
    @Test(arguments: [
        ("out.geojson", VectorFormat.geoJSON), ("OUT.JSON", .geoJSON), ("a/b.gpkg", .geoPackage), ("x.shp", .shapefile),
        ("x.kml", .kml), ("x.fgb", .flatGeobuf), ("dir.v2/x.csv", .csv),
    ])
    func theExtensionChoosesTheFormat(_ path: String, _ format: VectorFormat) throws {
        #expect(try VectorFormat(path: path) == format)
    }

    @Test(arguments: ["out.xyz", "out", "dir.gpkg/out"])
    func anUnknownExtensionNamesTheSupportedOnes(_ path: String) {
        #expect {
            try VectorFormat(path: path)
        } throws: { error in
            guard let error = error as? VectorFormatError else { return false }
            return error.code == .unknownFormat && error.file == path
                && error.message.contains(".geojson, .json, .gpkg, .shp, .kml, .fgb, .csv")
        }
    }
}
