/// Where in a style file something is: the file, the layer, and the property (with its section).
public struct StyleLocation: Sendable, Equatable, CustomStringConvertible {
    /// The part of a layer a property lives in.
    public enum Section: String, Sendable {
        /// A `paint` property.
        case paint
        /// A `layout` property.
        case layout
        /// A key of the layer's `metadata`.
        case metadata
        /// A key of the layer itself (`filter`, `minzoom`, `source-layer`, …).
        case layer
        /// A top-level key of the style (`version`, `sources`, …).
        case style
    }

    /// The style file as the user named it (`styles/print.json`).
    public var file: String
    /// The layer's id (or `#3` for a layer without one), when a layer is at fault.
    public var layer: String?
    /// The property or key at fault.
    public var property: String?
    /// Where `property` lives.
    public var section: Section

    /// Makes a location.
    public init(file: String, layer: String? = nil, property: String? = nil, section: Section = .layer) {
        self.file = file
        self.layer = layer
        self.property = property
        self.section = section
    }

    /// `styles/x.json: layer "villages": paint property "circle-radius"`.
    public var description: String {
        var parts = [file]
        if let layer { parts.append(layer.hasPrefix("#") ? "layer \(layer)" : "layer \"\(layer)\"") }
        if let property {
            switch section {
            case .paint, .layout: parts.append("\(section.rawValue) property \"\(property)\"")
            case .metadata: parts.append("metadata \"\(property)\"")
            case .layer, .style: parts.append("\"\(property)\"")
            }
        }
        return parts.joined(separator: ": ")
    }
}
