/// One property of one layer, ready to evaluate: its parsed expression (or MapLibre's default),
/// with the value precomputed when it depends on neither zoom nor feature.
struct PropertyValue: Sendable {
    let property: StyleProperty
    let expression: Expression
    /// The value, when it is the same for every feature and zoom.
    let constant: StyleValue?
    let dependsOnZoom: Bool
    let dependsOnFeature: Bool

    init(_ property: StyleProperty, _ expression: Expression) {
        self.property = property
        self.expression = expression
        dependsOnZoom = expression.dependsOnZoom
        dependsOnFeature = expression.dependsOnFeature
        constant = dependsOnZoom || dependsOnFeature ? nil : try? expression.evaluate(FeatureContext(zoom: 0))
    }

    /// The value for one feature, converted by `convert`; the default's when evaluation fails or the
    /// value does not fit (a feature property of the wrong type), as MapLibre does.
    func value<T>(_ feature: FeatureContext, _ convert: (StyleValue, ValueKind) -> T?) -> T? {
        if let value = constant ?? (try? expression.evaluate(feature)), let result = convert(value, property.kind) { return result }
        return property.defaultValue.flatMap { convert($0, property.kind) }
    }
}
