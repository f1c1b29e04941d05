/// A paint or layout property that Frontline draws: the layer type it belongs to, where it lives,
/// the kind of value it takes and its default, the only place defaults live (MapLibre's; nil
/// where absence has its own meaning, as for `fill-outline-color`).
struct StyleProperty: Sendable {
    let name: String
    let layerType: StyleLayer.LayerType
    let section: StyleLocation.Section
    let kind: ValueKind
    let defaultValue: StyleValue?

    private static let opacity = ValueKind.number(minimum: 0, maximum: 1)
    private static let length = ValueKind.number(minimum: 0)
    private static let black = StyleValue.color(.black)

    /// Every supported property by name (names are unique across layer types in MapLibre).
    static let supported: [String: StyleProperty] = {
        let list: [StyleProperty] = [
            .init(name: "background-color", layerType: .background, section: .paint, kind: .color, defaultValue: black),
            .init(name: "background-opacity", layerType: .background, section: .paint, kind: opacity, defaultValue: .number(1)),

            .init(name: "fill-color", layerType: .fill, section: .paint, kind: .color, defaultValue: black),
            .init(name: "fill-opacity", layerType: .fill, section: .paint, kind: opacity, defaultValue: .number(1)),
            .init(name: "fill-outline-color", layerType: .fill, section: .paint, kind: .color, defaultValue: nil),

            .init(name: "line-color", layerType: .line, section: .paint, kind: .color, defaultValue: black),
            .init(name: "line-width", layerType: .line, section: .paint, kind: length, defaultValue: .number(1)),
            .init(name: "line-opacity", layerType: .line, section: .paint, kind: opacity, defaultValue: .number(1)),
            // MapLibre has no default: no dashes, a solid line.
            .init(name: "line-dasharray", layerType: .line, section: .paint, kind: .numberArray(count: nil), defaultValue: .array([])),
            .init(name: "line-cap", layerType: .line, section: .layout, kind: .enumeration(["butt", "round", "square"]),
                  defaultValue: .string("butt")),
            .init(name: "line-join", layerType: .line, section: .layout, kind: .enumeration(["bevel", "round", "miter"]),
                  defaultValue: .string("miter")),

            .init(name: "circle-radius", layerType: .circle, section: .paint, kind: length, defaultValue: .number(5)),
            .init(name: "circle-color", layerType: .circle, section: .paint, kind: .color, defaultValue: black),
            .init(name: "circle-opacity", layerType: .circle, section: .paint, kind: opacity, defaultValue: .number(1)),
            .init(name: "circle-stroke-color", layerType: .circle, section: .paint, kind: .color, defaultValue: black),
            .init(name: "circle-stroke-width", layerType: .circle, section: .paint, kind: length, defaultValue: .number(0)),
            .init(name: "circle-stroke-opacity", layerType: .circle, section: .paint, kind: opacity, defaultValue: .number(1)),

            .init(name: "text-field", layerType: .symbol, section: .layout, kind: .text, defaultValue: .string("")),
            .init(name: "text-size", layerType: .symbol, section: .layout, kind: length, defaultValue: .number(16)),
            .init(name: "text-font", layerType: .symbol, section: .layout, kind: .stringArray,
                  defaultValue: .array([.string("Open Sans Regular"), .string("Arial Unicode MS Regular")])),
            .init(name: "text-offset", layerType: .symbol, section: .layout, kind: .numberArray(count: 2),
                  defaultValue: .array([.number(0), .number(0)])),
            .init(name: "text-anchor", layerType: .symbol, section: .layout,
                  kind: .enumeration(["center", "left", "right", "top", "bottom", "top-left", "top-right", "bottom-left", "bottom-right"]),
                  defaultValue: .string("center")),
            // MapLibre has no default: the label goes at `text-anchor` only.
            .init(name: "text-variable-anchor", layerType: .symbol, section: .layout, kind: .stringArray, defaultValue: .array([])),
            .init(name: "text-radial-offset", layerType: .symbol, section: .layout, kind: .number(), defaultValue: .number(0)),
            .init(name: "text-transform", layerType: .symbol, section: .layout, kind: .enumeration(["none", "uppercase", "lowercase"]),
                  defaultValue: .string("none")),
            .init(name: "text-letter-spacing", layerType: .symbol, section: .layout, kind: .number(), defaultValue: .number(0)),
            // MapLibre has no default: labels without a key are placed as if their key were 0.
            .init(name: "symbol-sort-key", layerType: .symbol, section: .layout, kind: .number(), defaultValue: .number(0)),
            .init(name: "text-color", layerType: .symbol, section: .paint, kind: .color, defaultValue: black),
            .init(name: "text-halo-color", layerType: .symbol, section: .paint, kind: .color, defaultValue: .color(.transparent)),
            .init(name: "text-halo-width", layerType: .symbol, section: .paint, kind: length, defaultValue: .number(0)),
            .init(name: "text-opacity", layerType: .symbol, section: .paint, kind: opacity, defaultValue: .number(1)),
        ]
        return Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0) })
    }()

    /// The supported properties of one layer type.
    static func properties(of type: StyleLayer.LayerType) -> [StyleProperty] {
        supported.values.filter { $0.layerType == type }
    }
}
