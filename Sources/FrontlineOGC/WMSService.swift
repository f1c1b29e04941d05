import Foundation
import FrontlineData
import FrontlineFormats
import FrontlineGeometry
import FrontlineRender

/// WMS 1.3.0 (and 1.1.1) over a map source: one layer per style, a `time` dimension over the
/// data's days. GetCapabilities, GetMap, GetFeatureInfo and GetLegendGraphic; everything else,
/// and every bad value, is an exception document with the standard's code.
public struct WMSService: Sendable {
    public let source: MapSource

    public init(source: MapSource) { self.source = source }

    /// The CRSs offered: Web Mercator, and longitude/latitude in both axis orders.
    static let crsNames = ["EPSG:3857", "EPSG:4326", "CRS:84"]
    /// Pixels around a GetFeatureInfo point within which a village or height is reported.
    static let featureTolerance = 8.0

    /// Answers one request; `base` is the server's public URL (`http://host:port`).
    public func respond(_ parameters: OGCParameters, base: String) -> OGCDocument {
        let version: OGCVersion = parameters["VERSION"] == "1.1.1" || parameters["WMTVER"] == "1.1.1" ? .wms111 : .wms130
        do {
            let data = source.data
            if let service = parameters["SERVICE"], service.uppercased() != "WMS" {
                throw OGCException(.invalidParameterValue, "SERVICE is \(service); this endpoint serves WMS", version: version, locator: "SERVICE")
            }
            let request = try parameters.required("REQUEST", version)
            switch request.lowercased() {
            case "getcapabilities", "capabilities":
                // The legend's size is in the document: a PNG's width and height are bytes 16–23 (IHDR).
                var sizes: [String: (width: Int, height: Int)] = [:]
                for style in data.styles.keys {
                    guard let png = try? source.legendGraphic(data, style: style, subject: .date(data.metadata.defaultDate)), png.count > 24 else { continue }
                    func word(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
                    sizes[style] = (word(16), word(20))
                }
                return WMSCapabilities(data: data, base: base, version: version, legendSizes: sizes).document
            case "getmap", "map":
                let (view, format) = try viewRequest(parameters, data: data, version: version, forMap: true)
                let png = try drawing(version) { try source.view(data, view) }
                guard format == "image/jpeg" else { return OGCDocument(png, type: format) }
                // JPEG has no transparency: the map over white.
                let image = try RasterImage(png: png)
                return OGCDocument(try JPEGEncoder.encode(rgb: image.rgb(over: .white), width: image.width, height: image.height), type: format)
            case "getfeatureinfo":
                return try featureInfo(parameters, data: data, version: version)
            case "getlegendgraphic":
                let layer = try parameters.required("LAYER", version)
                guard data.styles[layer] != nil else { throw Self.unknownLayer(layer, data, version) }
                let format = parameters["FORMAT"] ?? "image/png"
                guard format.lowercased().hasPrefix("image/png") else {
                    throw OGCException(.invalidFormat, "the legend is drawn as image/png, not \(format)", version: version, locator: "FORMAT")
                }
                let subject = try OGCTime.subject(parameters["TIME"], in: data, version: version)
                return OGCDocument(try drawing(version) { try source.legendGraphic(data, style: layer, subject: subject) }, type: "image/png")
            default:
                throw OGCException(.operationNotSupported, "REQUEST=\(request) is not offered: GetCapabilities, GetMap, GetFeatureInfo or GetLegendGraphic",
                                   version: version, locator: "REQUEST")
            }
        } catch let error as OGCException {
            return error.document
        } catch {
            return OGCException(error, version: version).document
        }
    }

    /// The view a GetMap (or the map part of a GetFeatureInfo) describes, and its image format.
    func viewRequest(_ p: OGCParameters, data: MapData, version: OGCVersion, forMap: Bool) throws(OGCException) -> (ViewRequest, String) {
        let layers = try p.required("LAYERS", version).split(separator: ",").map(String.init)
        for layer in layers where data.styles[layer] == nil { throw Self.unknownLayer(layer, data, version) }
        guard let layer = layers.first, Set(layers).count == 1 else {
            throw OGCException(.layerNotDefined, "LAYERS: ask for one layer (the layers are the styles \(data.styles.keys.sorted().joined(separator: ", ")))",
                               version: version, locator: "LAYERS")
        }
        // STYLES is required by the standard, but clients send it empty: the layer's own style.
        for style in (p["STYLES"] ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        where !style.isEmpty && style != layer && style != "default" {
            throw OGCException(.styleNotDefined, "layer \(layer) has one style, \(layer); STYLES=\(style) is not it", version: version, locator: "STYLES")
        }
        let crsName = version == .wms111 ? "SRS" : "CRS"
        let crs = try p.required(crsName, version).uppercased()
        let numbers = try p.required("BBOX", version).split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == 4, let a = numbers[0], let b = numbers[1], let c = numbers[2], let d = numbers[3], [a, b, c, d].allSatisfy(\.isFinite) else {
            throw OGCException(.invalidParameterValue, "BBOX must be four numbers: minx,miny,maxx,maxy", version: version, locator: "BBOX")
        }
        guard a < c, b < d else {
            throw OGCException(.invalidParameterValue, "BBOX \(a),\(b),\(c),\(d) is empty: its minima must be below its maxima", version: version, locator: "BBOX")
        }
        let area: ViewArea
        switch crs {
        case "EPSG:3857", "EPSG:900913", "EPSG:102100":
            area = .webMercator(BoundingBox(minX: a, minY: b, maxX: c, maxY: d))
        case "EPSG:4326" where version == .wms130:
            // WMS 1.3.0 follows the EPSG axis order: latitude first.
            area = .lonLat(BoundingBox(minX: b, minY: a, maxX: d, maxY: c))
        case "EPSG:4326", "CRS:84":
            area = .lonLat(BoundingBox(minX: a, minY: b, maxX: c, maxY: d))
        default:
            throw OGCException(version == .wms111 ? .invalidSRS : .invalidCRS,
                               "\(crsName)=\(crs) is not offered: \(Self.crsNames.joined(separator: ", "))", version: version, locator: crsName)
        }
        if case .lonLat(let box) = area, box.minX < -180 || box.maxX > 180 || box.minY < -90 || box.maxY > 90 {
            throw OGCException(.invalidParameterValue, "BBOX lies outside longitudes -180…180 and latitudes -90…90 (in \(crs), \(version == .wms130 && crs == "EPSG:4326" ? "latitude comes first" : "longitude comes first"))",
                               version: version, locator: "BBOX")
        }
        func side(_ name: String) throws(OGCException) -> Int {
            let text = try p.required(name, version)
            guard let n = Int(text), (1...ViewRequest.maximumSide).contains(n) else {
                throw OGCException(.invalidParameterValue, "\(name)=\(text): a whole number of pixels from 1 to \(ViewRequest.maximumSide)", version: version, locator: name)
            }
            return n
        }
        let width = try side("WIDTH"), height = try side("HEIGHT")
        let format = (p["FORMAT"] ?? "").lowercased()
        let mediaType = format.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        // GetFeatureInfo repeats the map's parameters; its FORMAT does not matter.
        let jpeg = mediaType == "image/jpeg" || mediaType == "jpeg"
        guard !forMap || mediaType == "image/png" || mediaType == "png" || jpeg else {
            throw OGCException(.invalidFormat, "FORMAT=\(p["FORMAT"] ?? "") is not offered: image/png or image/jpeg", version: version, locator: "FORMAT")
        }
        let subject = try OGCTime.subject(p["TIME"], in: data, version: version)
        var view = ViewRequest(subject: subject, style: layer, area: area, width: width, height: height)
        view.transparent = (p["TRANSPARENT"] ?? "").uppercased() == "TRUE" && !jpeg
        return (view, jpeg ? "image/jpeg" : "image/png")
    }

    func featureInfo(_ p: OGCParameters, data: MapData, version: OGCVersion) throws -> OGCDocument {
        let queried = try p.required("QUERY_LAYERS", version).split(separator: ",").map(String.init)
        for layer in queried where data.styles[layer] == nil { throw Self.unknownLayer(layer, data, version) }
        let (view, _) = try viewRequest(p, data: data, version: version, forMap: false)
        let (iName, jName) = version == .wms111 ? ("X", "Y") : ("I", "J")
        guard let i = Int(try p.required(iName, version)), let j = Int(try p.required(jName, version)),
              (0..<view.width).contains(i), (0..<view.height).contains(j) else {
            throw OGCException(.invalidPoint, "\(iName),\(jName) must be a pixel of the \(view.width)x\(view.height) map (from 0)", version: version,
                               locator: iName)
        }
        let format = (p["INFO_FORMAT"] ?? "text/plain").lowercased()
        guard ["application/json", "text/plain", "text/html"].contains(format) else {
            throw OGCException(.invalidFormat, "INFO_FORMAT=\(format) is not offered: application/json, text/plain or text/html", version: version,
                               locator: "INFO_FORMAT")
        }
        let info = try drawing(version) { try source.featureInfo(data, view, i: i, j: j, tolerance: Self.featureTolerance) }
        let report = FeatureInfoReport(info: info, subject: view.subject, dataset: data.dataset)
        switch format {
        case "application/json": return OGCDocument(report.json, type: "application/json")
        case "text/html": return OGCDocument(report.html, type: "text/html")
        default: return OGCDocument(report.text, type: "text/plain")
        }
    }

    /// Runs a drawing or a query, turning what the map source refuses into an exception.
    func drawing<T>(_ version: OGCVersion, _ work: () throws -> T) throws -> T {
        do {
            return try work()
        } catch let error as MapRequestError {
            throw OGCException(.invalidParameterValue, error.message, version: version)
        }
    }

    static func unknownLayer(_ layer: String, _ data: MapData, _ version: OGCVersion) -> OGCException {
        OGCException(.layerNotDefined, "no layer \(layer): the layers are \(data.styles.keys.sorted().joined(separator: ", "))", version: version, locator: "LAYERS")
    }
}
