import ArgumentParser
import FrontlineRender

/// How a report map or an animation is framed besides `--bbox`: on a village or height, and
/// whether it has a locator inset.
struct FramingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Centre the map on this village or height (its id in villages.geojson or heights.geojson).",
                               valueName: "id"))
    var around: String?
    @Option(help: ArgumentHelp("Kilometres shown on each side of --around, 0.5 to 500 (default: 6).", valueName: "km")) var radius: Double?
    @Flag(inversion: .prefixedNo, help: "Draw the locator inset (default: when the map shows a small part of the data).")
    var inset: Bool?

    /// The place to centre on.
    var focus: PlaceFocus? { around.map { PlaceFocus(id: $0, radiusKm: radius ?? PlaceFocus.defaultRadiusKm) } }

    func validate() throws {
        if radius != nil, around == nil { throw ValidationError("--radius goes with --around") }
        if let radius, !(radius.isFinite && PlaceFocus.radiusRange.contains(radius)) {
            throw ValidationError("--radius must be 0.5 to 500 km (got \(radius))")
        }
        if let around, around.isEmpty { throw ValidationError("--around needs a village or height id") }
    }
}
