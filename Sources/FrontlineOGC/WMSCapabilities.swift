import Foundation
import FrontlineData
import FrontlineGeometry
import FrontlineRender

/// The WMS capabilities document: one queryable layer per style under a root layer named for
/// the dataset, each with a `time` dimension whose default is the dataset's default date and
/// whose values are the key dates and every day of the data (`first/last/P1D`).
struct WMSCapabilities {
    let data: MapData
    let base: String
    let version: OGCVersion
    /// Each style's legend graphic's size in pixels, when it could be drawn.
    let legendSizes: [String: (width: Int, height: Int)]

    var document: OGCDocument {
        let m = data.metadata
        let endpoint = base + "/wms?"
        var x = XMLWriter()
        let v130 = version == .wms130
        if v130 {
            x.open("WMS_Capabilities", ["version": "1.3.0", "xmlns": "http://www.opengis.net/wms", "xmlns:xlink": "http://www.w3.org/1999/xlink",
                                        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                                        "xsi:schemaLocation": "http://www.opengis.net/wms http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd"])
        } else {
            x.open("WMT_MS_Capabilities", ["version": "1.1.1"])
        }
        x.open("Service")
        x.element("Name", v130 ? "WMS" : "OGC:WMS")
        x.element("Title", m.title)
        x.element("Abstract", "Dated areas of control, villages, heights, the pipeline and zones, drawn by Frontline for any day from "
                  + "\(m.temporalExtent.lowerBound) to \(m.temporalExtent.upperBound). TIME=YYYY-MM-DD draws that day's control; "
                  + "TIME=A/B draws the ground that changed hands between A and B. Source: \(m.attribution)")
        x.element("OnlineResource", nil, ["xlink:type": "simple", "xlink:href": base + "/", "xmlns:xlink": v130 ? "" : "http://www.w3.org/1999/xlink"].filter { !$0.value.isEmpty })
        x.element("Fees", "none")
        x.element("AccessConstraints", m.license.isEmpty ? "none" : m.license)
        if v130 {
            x.element("MaxWidth", "\(ViewRequest.maximumSide)")
            x.element("MaxHeight", "\(ViewRequest.maximumSide)")
        }
        x.close()
        x.open("Capability")
        x.open("Request")
        operation(&x, "GetCapabilities", formats: [v130 ? "text/xml" : "application/vnd.ogc.wms_xml"], endpoint: endpoint)
        operation(&x, "GetMap", formats: ["image/png", "image/jpeg"], endpoint: endpoint)
        operation(&x, "GetFeatureInfo", formats: ["application/json", "text/plain", "text/html"], endpoint: endpoint)
        x.close()
        x.open("Exception")
        x.element("Format", v130 ? "XML" : "application/vnd.ogc.se_xml")
        x.close()
        x.open("Layer")
        x.element("Title", m.title)
        for crs in WMSService.crsNames where v130 || crs != "CRS:84" { x.element(v130 ? "CRS" : "SRS", crs) }
        boxes(&x)
        for style in data.styles.keys.sorted() { layer(&x, style, endpoint: endpoint) }
        x.close()
        x.close()
        x.close()
        return OGCDocument(x.bytes, type: v130 ? "text/xml" : "application/vnd.ogc.wms_xml")
    }

    private func operation(_ x: inout XMLWriter, _ name: String, formats: [String], endpoint: String) {
        x.open(name)
        for format in formats { x.element("Format", format) }
        x.open("DCPType")
        x.open("HTTP")
        x.open("Get")
        x.element("OnlineResource", nil, ["xlink:type": "simple", "xlink:href": endpoint] .merging(version == .wms111 ? ["xmlns:xlink": "http://www.w3.org/1999/xlink"] : [:]) { a, _ in a })
        x.close()
        x.close()
        x.close()
        x.close()
    }

    /// The data's extent in each CRS (for 1.3.0, EPSG:4326 with latitude first).
    private func boxes(_ x: inout XMLWriter) {
        let b = data.metadata.bbox
        func n(_ v: Double) -> String { String(format: "%.6f", v) }
        if version == .wms130 {
            x.open("EX_GeographicBoundingBox")
            x.element("westBoundLongitude", n(b.minX))
            x.element("eastBoundLongitude", n(b.maxX))
            x.element("southBoundLatitude", n(b.minY))
            x.element("northBoundLatitude", n(b.maxY))
            x.close()
            x.element("BoundingBox", nil, ["CRS": "CRS:84", "minx": n(b.minX), "miny": n(b.minY), "maxx": n(b.maxX), "maxy": n(b.maxY)])
            x.element("BoundingBox", nil, ["CRS": "EPSG:4326", "minx": n(b.minY), "miny": n(b.minX), "maxx": n(b.maxY), "maxy": n(b.maxX)])
        } else {
            x.element("LatLonBoundingBox", nil, ["minx": n(b.minX), "miny": n(b.minY), "maxx": n(b.maxX), "maxy": n(b.maxY)])
            x.element("BoundingBox", nil, ["SRS": "EPSG:4326", "minx": n(b.minX), "miny": n(b.minY), "maxx": n(b.maxX), "maxy": n(b.maxY)])
        }
        let mx0 = WebMercator.x(longitude: b.minX), my0 = WebMercator.y(latitude: b.minY)
        let mx1 = WebMercator.x(longitude: b.maxX), my1 = WebMercator.y(latitude: b.maxY)
        func m(_ v: Double) -> String { String(format: "%.2f", v) }
        x.element("BoundingBox", nil, [version == .wms130 ? "CRS" : "SRS": "EPSG:3857", "minx": m(mx0), "miny": m(my0), "maxx": m(mx1), "maxy": m(my1)])
    }

    private func layer(_ x: inout XMLWriter, _ style: String, endpoint: String) {
        let m = data.metadata
        x.open("Layer", ["queryable": "1", "opaque": "1"])
        x.element("Name", style)
        x.element("Title", "\(m.title) (\(style))")
        x.element("Abstract", "Control of ground on the date asked for (TIME), in the \(style) style, with zones, villages, heights and the pipeline. "
                  + "Key dates: " + m.keyDates.map { "\($0.date) \($0.label)" }.joined(separator: "; ") + ".")
        let values = (m.keyDates.map(\.date.description) + ["\(m.temporalExtent.lowerBound)/\(m.temporalExtent.upperBound)/P1D"]).joined(separator: ",")
        if version == .wms130 {
            x.element("Dimension", values, ["name": "time", "units": "ISO8601", "default": m.defaultDate.description, "nearestValue": "0"])
        } else {
            x.element("Dimension", nil, ["name": "time", "units": "ISO8601"])
            x.element("Extent", values, ["name": "time", "default": m.defaultDate.description, "nearestValue": "0"])
        }
        x.open("Attribution")
        x.element("Title", m.attribution)
        x.close()
        x.open("Style")
        x.element("Name", style)
        x.element("Title", style)
        if let size = legendSizes[style] {
            x.open("LegendURL", ["width": "\(size.width)", "height": "\(size.height)"])
            x.element("Format", "image/png")
            x.element("OnlineResource", nil, ["xlink:type": "simple", "xmlns:xlink": "http://www.w3.org/1999/xlink",
                                              "xlink:href": endpoint + "SERVICE=WMS&VERSION=\(version.rawValue)&REQUEST=GetLegendGraphic&LAYER=\(style)&FORMAT=image/png"])
            x.close()
        }
        x.close()
        x.close()
    }
}
