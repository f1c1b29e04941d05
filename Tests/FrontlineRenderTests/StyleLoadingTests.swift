import Foundation
import Testing
@testable import FrontlineRender
import FrontlineGeometry

@Suite struct StyleLoadingTests {
    private let villages = #"{"id": "villages", "type": "circle", "source": "dataset", "source-layer": "villages", "paint": %@}"#

    private func villagesLayer(paint: String) -> String {
        villages.replacingOccurrences(of: "%@", with: paint)
    }

    @Test func literalOfTheWrongTypeNamesLayerAndProperty() {
        let error = styleError(styleJSON(villagesLayer(paint: #"{"circle-radius": "big"}"#)))
        #expect(error?.description == #"styles/x.json: layer "villages": paint property "circle-radius": expected a number of at least 0, found a string"#)
        #expect(error?.layer == "villages")
        #expect(error?.property == "circle-radius")
    }

    @Test func outOfRangeAndBadKeywordsAreErrors() {
        #expect(styleError(styleJSON(villagesLayer(paint: #"{"circle-opacity": 1.5}"#)))?.message
            == "expected a number from 0 to 1, found 1.5")
        let line = #"{"id": "roads", "type": "line", "source": "dataset", "source-layer": "basemap", "layout": {"line-cap": "rounded"}}"#
        #expect(styleError(styleJSON(line))?.description
            == #"styles/x.json: layer "roads": layout property "line-cap": expected one of butt, round, square, found "rounded""#)
    }

    @Test func invalidColourNamesLayerAndProperty() {
        #expect(styleError(styleJSON(villagesLayer(paint: ##"{"circle-color": "#12"}"##)))?.description
            == ##"styles/x.json: layer "villages": paint property "circle-color": expected a colour, found "#12""##)
        let inMatch = villagesLayer(paint: #"{"circle-color": ["match", ["get", "kind"], "a", "navy", "bluish"]}"#)
        #expect(styleError(styleJSON(inMatch))?.message == #"expected a colour, found "bluish""#)
    }

    @Test func unknownOperatorIsAnErrorNamingLayerAndProperty() {
        let error = styleError(styleJSON(villagesLayer(paint: #"{"circle-radius": ["frobnicate", 3]}"#)))
        #expect(error?.description == #"styles/x.json: layer "villages": paint property "circle-radius": unknown expression operator "frobnicate""#)
    }

    @Test func invalidJSONGivesLineAndColumn() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-broken-\(UInt64.random(in: 0...UInt64.max)).json")
        try Data("{\n  \"version\": 8,\n  \"layers\": [,]\n}".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Style.load(from: url)
            Issue.record("broken JSON loaded")
        } catch let error as StyleError {
            #expect(error.line == 3)
            #expect(error.column == 14)
            #expect(error.description.hasPrefix("\(url.path): line 3, column 14: not valid JSON"))
        }
    }

    @Test func styleLevelRequirements() {
        #expect(styleError(#"{"version": 7, "sources": {"dataset": {}}, "layers": []}"#)?.description
            == #"styles/x.json: "version": expected 8 (MapLibre GL style version 8), found 7"#)
        #expect(styleError(#"{"version": 8, "sources": {"osm": {}}, "layers": []}"#)?.property == "sources")
        #expect(styleError(#"{"version": 8, "sources": {"dataset": {}}}"#)?.property == "layers")
        #expect(styleError("[1]")?.message == "a style must be a JSON object, found an array")
    }

    @Test func layerLevelRequirements() {
        let background = #"{"id": "a", "type": "background"}"#
        #expect(styleError(styleJSON(background + ", " + background))?.description
            == #"styles/x.json: layer "a": "id": another layer has the same id; ids must be unique"#)
        #expect(styleError(styleJSON(#"{"type": "background"}"#))?.description
            == #"styles/x.json: layer #0: "id": every layer needs an "id" string, found none"#)
        #expect(styleError(styleJSON(#"{"id": "v", "type": "circle", "source": "osm", "source-layer": "villages"}"#))?.description
            == #"styles/x.json: layer "v": "source": expected "dataset" (the only source Frontline provides), found "osm""#)
        #expect(styleError(styleJSON(#"{"id": "v", "type": "circle", "source": "dataset", "source-layer": "towns"}"#))?.message
            == #"expected one of control, zones, villages, heights, pipeline, events, basemap, changes, found "towns""#)
        #expect(styleError(styleJSON(#"{"id": "v", "type": "circle", "source": "dataset"}"#))?.property == "source-layer")
        #expect(styleError(styleJSON(#"{"id": "v", "type": "circle", "source": "dataset", "source-layer": "villages", "minzoom": "5"}"#))?.message
            == "expected a zoom from 0 to 24, found a string")
        #expect(styleError(styleJSON(#"{"id": "v", "type": "circle", "source": "dataset", "source-layer": "villages", "filter": ["==", "class", "road"]}"#))?.property
            == "filter")
        #expect(styleError(styleJSON(#"{"id": "a", "type": "background", "layout": {"visibility": "hidden"}}"#))?.message
            == #"expected "visible" or "none", found "hidden""#)
    }

    @Test func hatchSettingsAreChecked() throws {
        let fill = #"{"id": "changes", "type": "fill", "source": "dataset", "source-layer": "changes", "metadata": {"frontline:hatch": %@}}"#
        func layer(_ hatch: String) -> String { fill.replacingOccurrences(of: "%@", with: hatch) }
        let style = try loadStyle(styleJSON(layer(##"{"angle": 30, "spacing": 8, "width": 2, "color": "#333"}"##)))
        #expect(style.layers[0].hatch == Hatch(angle: 30, spacing: 8, width: 2, color: Color(r: 0x33, g: 0x33, b: 0x33)))
        #expect(try loadStyle(styleJSON(layer("{}"))).layers[0].hatch == Hatch(angle: 45, spacing: 6, width: 1, color: nil))
        #expect(styleError(styleJSON(layer(#"{"spacing": 0}"#)))?.description
            == #"styles/x.json: layer "changes": metadata "frontline:hatch": "spacing": expected a positive number, found 0"#)
        #expect(styleError(styleJSON(layer(#"{"color": "stripes"}"#)))?.message == #""color": expected a colour, found "stripes""#)
    }

    @Test func unsupportedThingsAreWarningsNamingLayerAndProperty() throws {
        let layers = [
            #"{"id": "hillshade", "type": "raster", "source": "dataset"}"#,
            #"{"id": "a", "type": "fill", "source": "dataset", "source-layer": "control", "paint": {"fill-pattern": "dots", "circle-radius": 3, "fill-color": ["sqrt", 4]}, "layout": {"fill-sort-key": 1}}"#,
            #"{"id": "b", "type": "line", "source": "dataset", "source-layer": "basemap", "paint": {"line-cap": "round"}}"#,
            #"{"id": "c", "type": "circle", "source": "dataset", "source-layer": "villages", "metadata": {"frontline:hatch": {}, "frontline:legnd": "x"}, "ref": "a"}"#,
        ].joined(separator: ", ")
        let style = try loadStyle(styleJSON(layers, extra: #", "terrain": {}"#))
        #expect(style.warnings.map(\.description) == [
            #"styles/x.json: "terrain": is not supported and is ignored"#,
            #"styles/x.json: layer "hillshade": "type": layer type "raster" is not supported and the layer is skipped"#,
            #"styles/x.json: layer "a": layout property "fill-sort-key": is not supported and is ignored"#,
            #"styles/x.json: layer "a": paint property "circle-radius": is not supported and is ignored: it belongs to circle layers, not fill layers"#,
            #"styles/x.json: layer "a": paint property "fill-color": expression operator "sqrt" is not supported; the property is ignored"#,
            #"styles/x.json: layer "a": paint property "fill-pattern": is not supported and is ignored"#,
            #"styles/x.json: layer "b": paint property "line-cap": is not supported and is ignored: it is a layout property"#,
            #"styles/x.json: layer "c": "ref": is not supported and is ignored"#,
            #"styles/x.json: layer "c": metadata "frontline:hatch": only fill layers can be hatched; it is ignored"#,
            #"styles/x.json: layer "c": metadata "frontline:legnd": is not a Frontline setting (frontline:legend, frontline:hatch, frontline:marker, frontline:unlabelled-hidden-below-zoom) and is ignored"#,
        ])
        #expect(style.layers.map(\.id) == ["a", "b", "c"])
        // The ignored fill-color falls back to MapLibre's default, black.
        #expect(style.layers[0].color("fill-color", FeatureContext(zoom: 5)) == .black)
    }

    @Test func zoomOutsideATopLevelCurveStopsTheStyleLoading() throws {
        let line = #"{"id": "b", "type": "line", "source": "dataset", "source-layer": "basemap", "paint": {"line-width": ["case", [">", ["zoom"], 8], 2, 1]}}"#
        #expect(styleError(styleJSON(line))?.description
            == #"styles/x.json: layer "b": paint property "line-width": ["zoom"] may only be the input of a top-level "step" or "interpolate""#)
    }

    @Test func strictModeTurnsTheFirstWarningIntoAnError() {
        let fill = #"{"id": "a", "type": "fill", "source": "dataset", "source-layer": "control", "paint": {"fill-pattern": "dots"}}"#
        #expect(styleError(styleJSON(fill)) == nil)
        #expect(styleError(styleJSON(fill), strict: true)?.description
            == #"styles/x.json: layer "a": paint property "fill-pattern": is not supported and is ignored"#)
        let raster = #"{"id": "r", "type": "raster", "source": "dataset"}"#
        #expect(styleError(styleJSON(raster), strict: true)?.message == #"layer type "raster" is not supported and the layer is skipped"#)
    }

    @Test func theCatalogRefusesNamesThatCouldLeaveTheFolder() throws {
        let catalog = StyleCatalog(directory: repositoryStyles)
        for hostile in ["../../etc/passwd", "..", "default/../../x", "a b", "", "%2e%2e", "../default"] {
            #expect(throws: MapRequestError.self, "\(hostile)") { try catalog.load(hostile) }
        }
        do {
            _ = try catalog.load("../../etc/passwd")
        } catch let error as MapRequestError {
            #expect(error.kind == .unknownStyle)
            #expect(error.message == #"unknown style "../../etc/passwd"; available styles: default, print"#)
        }
    }

    @Test func theCatalogOffersBuiltInStylesFromAnyFolderAndAFolderOverrides() throws {
        // Built in: no folder at all.
        let builtIn = StyleCatalog()
        #expect(builtIn.names == ["default", "print"])
        #expect(try builtIn.load("print").name == "print")
        // A folder adds a style and overrides one of the same name.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-styles-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let plain = styleJSON(##"{"id": "bg", "type": "background", "paint": {"background-color": "#123456"}}"##)
        try plain.write(to: folder.appendingPathComponent("mine.json"), atomically: true, encoding: .utf8)
        try plain.write(to: folder.appendingPathComponent("print.json"), atomically: true, encoding: .utf8)
        let catalog = StyleCatalog(directory: folder)
        #expect(catalog.names == ["default", "mine", "print"])
        #expect(try catalog.load("mine").layers.map(\.id) == ["bg"])
        #expect(try catalog.load("print").layers.map(\.id) == ["bg"])
        #expect(try catalog.load("default").layers.count > 5)
        // A file by path, named by its file name; only it is offered once selected.
        var one = StyleCatalog()
        #expect(one.select(folder.appendingPathComponent("mine.json").path) == "mine")
        #expect(try one.loadAll().keys.sorted() == ["mine"])
        do {
            var missing = StyleCatalog()
            _ = missing.select("/nonexistent/mine.json")
            _ = try missing.load("mine")
            Issue.record("a missing file loaded")
        } catch let error as StyleError {
            #expect(error.description == "/nonexistent/mine.json: the style file does not exist")
        }
    }

    @Test func theShippedStylesAreTheFilesOfTheStylesFolder() throws {
        for (name, bytes) in StyleCatalog.shipped {
            #expect(Array(try Data(contentsOf: repositoryStyles.appendingPathComponent("\(name).json"))) == bytes)
        }
    }

    @Test(arguments: ["default", "print"])
    func shippedStylesLoadWithoutWarnings(_ name: String) throws {
        let style = try Style.load(from: repositoryStyles.appendingPathComponent("\(name).json"), strict: true)
        #expect(style.warnings.isEmpty)
        #expect(style.name == name)
        #expect(style.layers.first?.type == .background)
        let legends = Set(style.layers.compactMap(\.legend))
        #expect(legends == ["party", "Ground that changed hands", "1991 NKAO boundary", "International border",
                            "Peacekeeping zone", "Lachin corridor", "Gas pipeline", "Village", "Town", "Peak"])
        // Every label's font stack has Noto (Latin, Cyrillic; Armenian from Noto Sans Armenian) before DejaVu.
        for layer in style.layers where layer.type == .symbol {
            let stack = try #require(layer.strings("text-font", FeatureContext(zoom: 10)))
            #expect(stack.first?.hasPrefix("Noto Sans") == true, "\(layer.id)")
            #expect(stack.contains { $0.hasPrefix("Noto Sans Armenian") } && stack.last?.hasPrefix("DejaVu Sans") == true, "\(layer.id)")
        }
        #expect(style.layer("heights")?.marker == .triangle)
        #expect(style.layer("villages")?.unlabelledHiddenBelowZoom == 11)
    }

    @Test(arguments: ["default", "print"])
    func shippedStylesGiveDistinctPartyColoursAndLabels(_ name: String) throws {
        let style = try Style.load(from: repositoryStyles.appendingPathComponent("\(name).json"))
        let control = try #require(style.layer("control"))
        let colours = (0..<6).compactMap { index in
            control.color("fill-color", FeatureContext(zoom: 10, properties: ["party_index": .number(Double(index))], geometryType: "Polygon"))
        }
        #expect(Set(colours).count == 6)
        let changes = try #require(style.layer("changes"))
        #expect(changes.hatch?.color == nil)
        #expect(changes.color("fill-color", FeatureContext(zoom: 10, properties: ["to_index": .number(1)])) == colours[1])

        let villageLabels = try #require(style.layer("village-labels"))
        #expect(villageLabels.string("text-field", FeatureContext(zoom: 10, properties: ["name": .string("Parukh")])) == "Parukh")
        // Placement order follows rank: capital, city, town, then places that changed hands, then villages, hamlets.
        let townLabels = try #require(style.layer("town-labels"))
        func key(_ layer: StyleLayer, _ properties: [String: JSONValue]) -> Double? {
            layer.number("symbol-sort-key", FeatureContext(zoom: 10, properties: properties))
        }
        let capital = try #require(key(townLabels, ["place": .string("city"), "capital": .bool(true)]))
        let town = try #require(key(townLabels, ["place": .string("town")]))
        let changedVillage = try #require(key(villageLabels, ["place": .string("village"), "changed": .bool(true)]))
        let village = try #require(key(villageLabels, ["place": .string("village")]))
        let hamlet = try #require(key(villageLabels, ["place": .string("hamlet")]))
        #expect(capital < town && town < changedVillage && changedVillage < village && village < hamlet)
        #expect(townLabels.passesFilter(FeatureContext(zoom: 10, properties: ["place": .string("town")])))
        #expect(!villageLabels.passesFilter(FeatureContext(zoom: 10, properties: ["place": .string("town")])))
        let heightLabels = try #require(style.layer("height-labels"))
        #expect(heightLabels.string("text-field", FeatureContext(zoom: 10, properties: ["name": .string("Height 2054"), "elevation_m": .number(2054)]))
            == "Height 2054 (2054 m)")
        #expect(heightLabels.string("text-field", FeatureContext(zoom: 10, properties: ["name": .string("Karaglukh height"), "elevation_m": .null]))
            == "Karaglukh height")

        let zones = try #require(style.layer("zone-peacekeeping"))
        #expect(zones.passesFilter(FeatureContext(zoom: 10, properties: ["kind": .string("peacekeeping")])))
        #expect(!zones.passesFilter(FeatureContext(zoom: 10, properties: ["kind": .string("corridor")])))
        #expect(style.layer("pipeline")?.numbers("line-dasharray", FeatureContext(zoom: 10)) == [3, 2])
    }
}
