import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender

/// WMTS 1.0.0 onto the XYZ tiles: a capabilities document (RESTful and KVP) with the
/// `GoogleMapsCompatible` tile matrix set and a `Time` dimension, and KVP GetTile read into the
/// tile it names. The tiles themselves are the PNG tiles the server already serves.
public struct WMTSService: Sendable {
    public let source: MapSource

    public init(source: MapSource) { self.source = source }

    /// What a WMTS request asks for.
    public enum Answer: Sendable {
        /// A document to send as it is (capabilities, or an exception).
        case document(OGCDocument)
        /// The PNG tile of this style, date (as given: a day or `latest`) and XYZ coordinate.
        case tile(style: String, date: String, z: Int, x: Int, y: Int)
    }

    /// The deepest tile matrix offered, as for the XYZ tiles.
    static let maximumZoom = 18

    /// Answers a KVP request; `base` is the server's public URL.
    public func respond(_ p: OGCParameters, base: String) -> Answer {
        let version = OGCVersion.wmts100
        do {
            let data = source.data
            if let service = p["SERVICE"], service.uppercased() != "WMTS" {
                throw OGCException(.invalidParameterValue, "SERVICE is \(service); this endpoint serves WMTS", version: version, locator: "SERVICE")
            }
            let request = try p.required("REQUEST", version)
            switch request.lowercased() {
            case "getcapabilities":
                return .document(capabilities(base: base))
            case "gettile":
                let layer = try p.required("LAYER", version)
                guard data.styles[layer] != nil else {
                    throw OGCException(.invalidParameterValue, "no layer \(layer): the layers are \(data.styles.keys.sorted().joined(separator: ", "))",
                                       version: version, locator: "LAYER")
                }
                if let style = p["STYLE"], !style.isEmpty, style != layer, style != "default" {
                    throw OGCException(.invalidParameterValue, "layer \(layer) has one style, \(layer)", version: version, locator: "STYLE")
                }
                let set = try p.required("TILEMATRIXSET", version)
                guard set == Self.matrixSet else {
                    throw OGCException(.invalidParameterValue, "the tile matrix set is \(Self.matrixSet)", version: version, locator: "TILEMATRIXSET")
                }
                if let format = p["FORMAT"], format.lowercased() != "image/png" {
                    throw OGCException(.invalidParameterValue, "tiles are image/png", version: version, locator: "FORMAT")
                }
                func integer(_ name: String) throws(OGCException) -> Int {
                    let text = try p.required(name, version)
                    guard let n = Int(text) else { throw OGCException(.invalidParameterValue, "\(name)=\(text) is not a whole number", version: version, locator: name) }
                    return n
                }
                let z = try integer("TILEMATRIX"), row = try integer("TILEROW"), column = try integer("TILECOL")
                guard (0...Self.maximumZoom).contains(z) else {
                    throw OGCException(.invalidParameterValue, "TILEMATRIX runs from 0 to \(Self.maximumZoom)", version: version, locator: "TILEMATRIX")
                }
                guard (0..<(1 << z)).contains(row) else { throw OGCException(.tileOutOfRange, "TILEROW is out of the matrix", version: version, locator: "TILEROW") }
                guard (0..<(1 << z)).contains(column) else { throw OGCException(.tileOutOfRange, "TILECOL is out of the matrix", version: version, locator: "TILECOL") }
                let time = p["TIME"].flatMap { $0.isEmpty ? nil : $0 } ?? data.metadata.defaultDate.description
                guard time == "latest" || CalendarDate(String(time.prefix(10))).map(data.metadata.temporalExtent.contains) == true else {
                    throw OGCException(.invalidParameterValue, "TIME=\(time) is not a day of the data (\(data.metadata.temporalExtent.lowerBound) to \(data.metadata.temporalExtent.upperBound))",
                                       version: version, locator: "TIME")
                }
                return .tile(style: layer, date: time == "latest" ? time : String(time.prefix(10)), z: z, x: column, y: row)
            default:
                throw OGCException(.operationNotSupported, "REQUEST=\(request) is not offered: GetCapabilities or GetTile", version: version, locator: "REQUEST")
            }
        } catch let error as OGCException {
            return .document(error.document)
        } catch {
            return .document(OGCException(error, version: version).document)
        }
    }

    static let matrixSet = "GoogleMapsCompatible"

    /// The capabilities document: each style a layer whose `ResourceURL` template is the XYZ tile URL.
    public func capabilities(base: String) -> OGCDocument {
        let data = source.data, m = data.metadata
        var x = XMLWriter()
        x.open("Capabilities", ["xmlns": "http://www.opengis.net/wmts/1.0", "xmlns:ows": "http://www.opengis.net/ows/1.1",
                                "xmlns:xlink": "http://www.w3.org/1999/xlink", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                "xmlns:gml": "http://www.opengis.net/gml", "version": "1.0.0",
                                "xsi:schemaLocation": "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd"])
        x.open("ows:ServiceIdentification")
        x.element("ows:Title", m.title)
        x.element("ows:Abstract", "Tiles of dated control of ground, one layer per style; the Time dimension picks the day.")
        x.element("ows:ServiceType", "OGC WMTS")
        x.element("ows:ServiceTypeVersion", "1.0.0")
        x.element("ows:Fees", "none")
        x.element("ows:AccessConstraints", m.license.isEmpty ? "none" : m.license)
        x.close()
        x.open("ows:OperationsMetadata")
        for operation in ["GetCapabilities", "GetTile"] {
            x.open("ows:Operation", ["name": operation])
            x.open("ows:DCP")
            x.open("ows:HTTP")
            x.open("ows:Get", ["xlink:href": base + "/wmts?"])
            x.open("ows:Constraint", ["name": "GetEncoding"])
            x.open("ows:AllowedValues")
            x.element("ows:Value", "KVP")
            x.close()
            x.close()
            x.close()
            x.close()
            x.close()
            x.close()
        }
        x.close()
        x.open("Contents")
        let b = m.bbox
        for style in data.styles.keys.sorted() {
            x.open("Layer")
            x.element("ows:Title", "\(m.title) (\(style))")
            x.element("ows:Abstract", "Control of ground on the day of the Time dimension, in the \(style) style. Source: \(m.attribution)")
            x.open("ows:WGS84BoundingBox")
            x.element("ows:LowerCorner", "\(b.minX) \(b.minY)")
            x.element("ows:UpperCorner", "\(b.maxX) \(b.maxY)")
            x.close()
            x.element("ows:Identifier", style)
            x.open("Style", ["isDefault": "true"])
            x.element("ows:Identifier", style)
            x.close()
            x.element("Format", "image/png")
            x.open("Dimension")
            x.element("ows:Identifier", "Time")
            x.element("UOM", "ISO8601")
            x.element("Default", m.defaultDate.description)
            for date in Array(Set(m.keyDates.map(\.date) + [m.defaultDate])).sorted() { x.element("Value", date.description) }
            x.close()
            x.open("TileMatrixSetLink")
            x.element("TileMatrixSet", Self.matrixSet)
            x.close()
            x.element("ResourceURL", nil, ["format": "image/png", "resourceType": "tile",
                                           "template": "\(base)/styles/\(style)/{Time}/{TileMatrix}/{TileCol}/{TileRow}.png"])
            x.close()
        }
        x.open("TileMatrixSet")
        x.element("ows:Identifier", Self.matrixSet)
        x.element("ows:SupportedCRS", "urn:ogc:def:crs:EPSG::3857")
        x.element("WellKnownScaleSet", "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible")
        for z in 0...Self.maximumZoom {
            x.open("TileMatrix")
            x.element("ows:Identifier", "\(z)")
            // The standard's pixel is 0.28 mm: metres per pixel / 0.00028.
            x.element("ScaleDenominator", String(format: "%.10f", WebMercator.resolution(zoom: Double(z)) / 0.00028))
            x.element("TopLeftCorner", String(format: "%.10f %.10f", -WebMercator.halfWorld, WebMercator.halfWorld))
            x.element("TileWidth", "256")
            x.element("TileHeight", "256")
            x.element("MatrixWidth", "\(1 << z)")
            x.element("MatrixHeight", "\(1 << z)")
            x.close()
        }
        x.close()
        x.close()
        x.element("ServiceMetadataURL", nil, ["xlink:href": base + "/wmts/1.0.0/WMTSCapabilities.xml"])
        x.close()
        return OGCDocument(x.bytes, type: "text/xml")
    }
}
