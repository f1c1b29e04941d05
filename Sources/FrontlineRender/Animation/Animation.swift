import Foundation
import FrontlineData
import FrontlineGeometry
import Synchronization

/// An animated timeline ready to draw: one frame per date, all with the same area, legend and
/// inset; each shows the control on its date, the ground that changed hands since the frame
/// before hatched, and its date in large type.
public struct Animation: Sendable {
    /// The frames' dates, in order.
    public let dates: [CalendarDate]
    /// What each frame shows (``subjects(_:)``), made once.
    private let subjects: [MapSubject]
    /// The area and pixel size of every frame.
    public let viewport: Viewport
    private let source: MapSource
    private let data: MapData
    private let request: AnimationRequest
    private let style: Style
    private let legend: [LegendEntry]
    private let subject: BoundingBox?
    private let inset: Bool

    /// Plans the frames of `request`: checks its dates and style, and frames the ground that
    /// changed hands between any two frames (or the requested area).
    init(source: MapSource, data: MapData, request: AnimationRequest) throws {
        let dataset = data.dataset
        guard request.from < request.to else {
            throw MapRequestError(.inconsistent, "the first date (\(request.from)) must be earlier than the last (\(request.to))")
        }
        try dataset.checkInExtent(request.from)
        try dataset.checkInExtent(request.to)
        guard (16...8192).contains(request.width), (16...8192).contains(request.height) else {
            throw MapRequestError(.malformed, "frames are \(request.width)x\(request.height) pixels; each side must be 16 to 8192")
        }
        style = try data.style(request.style)
        dates = request.step.dates(from: request.from, to: request.to, keyDates: data.metadata.keyDates)
        guard dates.count <= AnimationRequest.maximumFrames else {
            throw MapRequestError(.malformed, "a step of \(request.step) from \(request.from) to \(request.to) makes \(dates.count) frames; "
                                  + "the most is \(AnimationRequest.maximumFrames): choose a longer step")
        }
        (self.source, self.data, self.request) = (source, data, request)
        let subjects = Animation.subjects(dates)
        self.subjects = subjects
        // What changed between frames: the frame's subject.
        let boxes = try GeometryWorkers.map(subjects) { _, subject in
            MapFrame.changedArea(of: [try source.scene(data, subject, language: request.language).scene])
        }
        let changed = BoundingBox.union(of: boxes.compactMap { $0 })
        let frame = try MapFrame.area(changed: changed, dataset: dataset, bbox: request.bbox, focus: request.around)
        subject = frame.subject
        let extent = try Projection.webMercator().forwardBox(dataset.metadata.bbox)
        // Kept inside the data's extent, as report maps are.
        viewport = try Viewport.fitting(mercator: frame.area, width: request.width, height: request.height).inside(extent)
        // One legend for every frame, so that it does not jump from frame to frame.
        let viewport = self.viewport, style = self.style
        let legends = try GeometryWorkers.map(subjects) { _, subject in
            MapRenderer(style: style, scene: try source.scene(data, subject, language: request.language).scene)
                .legend(zoom: viewport.zoom, in: viewport.bounds)
        }
        // The fullest frame's legend first (it is in the style's order), then what others add.
        var legend: [LegendEntry] = []
        for entry in legends.sorted(by: { $0.count > $1.count }).joined() where !legend.contains(where: { $0.label == entry.label }) {
            legend.append(entry)
        }
        self.legend = legend
        inset = request.inset ?? MapFrame.needsInset(frame: viewport.bounds, extent: extent)
    }

    /// The first frame shows its date's control; each later one, the change since the frame before.
    static func subjects(_ dates: [CalendarDate]) -> [MapSubject] {
        dates.indices.map { $0 == 0 ? .date(dates[0]) : .change(from: dates[$0 - 1], to: dates[$0]) }
    }

    /// Frame `index` as PNG.
    public func frame(_ index: Int) throws -> [UInt8] {
        let subject = subjects[index]
        let prepared = try source.scene(data, subject, language: request.language)
        let date = dates[index]
        let m = data.metadata
        var furniture = ReportFurniture(title: request.title ?? m.title, dateLine: date.longDescription, legend: legend,
                                        attribution: m.attribution)
        furniture.largeDate = true
        furniture.caption = m.keyDates.first { $0.date == date && !$0.label.isEmpty }?.label
        if inset { furniture.inset = LocatorInset(style: style, prepared: prepared, frame: viewport.bounds, subject: self.subject) }
        let map = ReportMap(prepared: prepared, style: style, viewport: viewport, scale: 1, furniture: furniture)
        // A frame lives until ffmpeg has read it: the fast compression.
        return try map.render(as: .png, compression: .fast)
    }

    /// Draws every frame on every core, a few at a time, and hands them to `deliver` in order
    /// (from the calling thread); `progress` hears (frames done, frames in all).
    public func render(deliver: (Int, [UInt8]) throws -> Void, progress: @Sendable (Int, Int) -> Void = { _, _ in }) throws {
        let batch = 2 * GeometryWorkers.count
        let done = Atomic<Int>(0)
        let total = dates.count
        var start = 0
        while start < total {
            let indices = Array(start..<min(total, start + batch))
            let frames = try GeometryWorkers.map(indices) { _, i in
                let png = try frame(i)
                progress(done.add(1, ordering: .relaxed).newValue, total)
                return png
            }
            for (i, png) in zip(indices, frames) { try deliver(i, png) }
            start += batch
        }
    }
}

extension MapSource {
    /// Plans an animated timeline: its dates, area and legend (see ``Animation``).
    public func animation(_ data: MapData, _ request: AnimationRequest) throws -> Animation {
        try Animation(source: self, data: data, request: request)
    }
}
