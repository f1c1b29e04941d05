import Foundation
import FrontlineGeometry

/// The part of the projected world a canvas shows: its size in pixels, its extent in Web
/// Mercator metres, and the zoom level styles see.
public struct Viewport: Sendable {
    /// Size in pixels.
    public let width: Int, height: Int
    /// Extent in Web Mercator metres (same aspect ratio as the pixel size).
    public let bounds: BoundingBox
    /// Projected metres → pixels.
    public let transform: PixelTransform

    /// A viewport showing exactly `bounds` (Web Mercator metres) on `width` × `height` pixels.
    public init(bounds: BoundingBox, width: Int, height: Int) {
        self.width = width
        self.height = height
        self.bounds = bounds
        transform = PixelTransform(originX: bounds.minX, originY: bounds.maxY, scale: Double(width) / bounds.width)
    }

    /// A viewport that fits a longitude/latitude box into the pixel size, centred, widening
    /// one side so that the map is not stretched.
    public static func fitting(lonLat box: BoundingBox, width: Int, height: Int) throws -> Viewport {
        try fitting(mercator: Projection.webMercator().forwardBox(box), width: width, height: height)
    }

    /// A viewport that fits a Web Mercator box into the pixel size, centred, widening one side
    /// so that the map is not stretched.
    public static func fitting(mercator m: BoundingBox, width: Int, height: Int) throws -> Viewport {
        let metresPerPixel = max(m.width / Double(width), m.height / Double(height))
        let cx = (m.minX + m.maxX) / 2, cy = (m.minY + m.maxY) / 2
        let halfW = metresPerPixel * Double(width) / 2, halfH = metresPerPixel * Double(height) / 2
        return Viewport(bounds: BoundingBox(minX: cx - halfW, minY: cy - halfH, maxX: cx + halfW, maxY: cy + halfH),
                        width: width, height: height)
    }

    /// This view moved, and shrunk if need be, to lie inside `extent` (Web Mercator metres), with
    /// the same pixel size and the centre as near as it can be: a map that stops at the edge of its
    /// data rather than showing the edge. Unchanged when it already lies inside.
    public func inside(_ extent: BoundingBox) -> Viewport {
        guard extent.width > 0, extent.height > 0,
              bounds.minX < extent.minX || bounds.maxX > extent.maxX || bounds.minY < extent.minY || bounds.maxY > extent.maxY
        else { return self }
        let metresPerPixel = min(self.metresPerPixel, extent.width / Double(width), extent.height / Double(height))
        let halfW = metresPerPixel * Double(width) / 2, halfH = metresPerPixel * Double(height) / 2
        let cx = min(max((bounds.minX + bounds.maxX) / 2, extent.minX + halfW), extent.maxX - halfW)
        let cy = min(max((bounds.minY + bounds.maxY) / 2, extent.minY + halfH), extent.maxY - halfH)
        return Viewport(bounds: BoundingBox(minX: cx - halfW, minY: cy - halfH, maxX: cx + halfW, maxY: cy + halfH),
                        width: width, height: height)
    }

    /// The viewport of one 256 px tile (any pixel size: 512 for `@2x` keeps the same zoom via `scale`).
    public static func tile(_ tile: TileCoordinate, size: Int = 256) -> Viewport {
        Viewport(bounds: tile.bounds, width: size, height: size)
    }

    /// Web Mercator metres per pixel.
    public var metresPerPixel: Double { bounds.width / Double(width) }

    /// The zoom level in the 256 px tile pyramid whose resolution this viewport has (fractional).
    public var zoom: Double { log2(2 * WebMercator.halfWorld / (256 * metresPerPixel)) }

    /// Latitude of the centre, in degrees.
    public var centreLatitude: Double { WebMercator.latitude(y: (bounds.minY + bounds.maxY) / 2) }

    /// Ground metres per pixel at the centre latitude.
    public var groundMetresPerPixel: Double { metresPerPixel * WebMercator.groundScale(atLatitude: centreLatitude) }
}
