import Foundation
import FrontlineData
import FrontlineGeometry
import Synchronization

/// One consistent version of what maps are made from: the dataset, its layers in Web Mercator and
/// the styles, loaded together. A request takes one and uses it to the end, so a reload never shows
/// anyone a half-loaded dataset. A class, so that taking it costs one reference.
public final class MapData: Sendable {
    /// The dataset.
    public let dataset: Dataset
    /// Its layers in Web Mercator, indexed.
    public let projected: ProjectedLayers
    /// Styles by name.
    public let styles: [String: Style]
    /// Changes whenever a data or style file or the program changes: part of every ETag and tile URL.
    public let version: String
    /// `version` hashed, for ETags.
    public let versionHash: FNV1a
    /// Numbers the versions this process has loaded: cache keys carry it.
    public let serial: Int

    private static let loads = Atomic<Int>(0)

    /// Wraps loaded data.
    public init(dataset: Dataset, projected: ProjectedLayers, styles: [String: Style], version: String) {
        self.dataset = dataset
        self.projected = projected
        self.styles = styles
        self.version = version
        var hash = FNV1a()
        hash.add(version)
        versionHash = hash
        serial = MapData.loads.add(1, ordering: .relaxed).newValue
    }

    /// The dataset's metadata.
    public var metadata: DatasetMetadata { dataset.metadata }

    /// A date as written in a URL or an argument: `YYYY-MM-DD` within the temporal extent, or
    /// `latest` (the extent's last day).
    public func date(_ text: String) throws -> CalendarDate {
        let extent = metadata.temporalExtent
        if text == "latest" { return extent.upperBound }
        guard let date = CalendarDate(text) else {
            throw MapRequestError(.malformed, "'\(text)' is not a date: use YYYY-MM-DD or latest")
        }
        try dataset.checkInExtent(date)
        return date
    }

    /// A style by name; an unknown name is a ``MapRequestError`` naming the styles on offer.
    public func style(_ name: String) throws -> Style {
        guard let style = styles[name] else {
            throw MapRequestError(.unknownStyle, "unknown style '\(name)'; styles: \(styles.keys.sorted().joined(separator: ", "))")
        }
        return style
    }
}
