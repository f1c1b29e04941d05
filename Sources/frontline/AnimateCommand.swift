import ArgumentParser
import Foundation
import FrontlineData
import FrontlineRender
import FrontlineVideo

struct AnimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "animate",
        abstract: "Make an animated timeline of the control between two dates: MP4, WebM or GIF.",
        discussion: """
            One frame per step (by default the key dates between the two dates, and the two dates), \
            each with the control on its date, the ground that changed hands since the frame before \
            hatched, the date in large type and the legend. Every frame has the same area: with no \
            --bbox or --around, the ground that changed hands along the timeline. Frames are drawn on \
            every core and encoded by ffmpeg (Debian's ffmpeg, installed by scripts/setup.sh): H.264 \
            MP4 (yuv420p) for social media, VP9 WebM, or a GIF with a palette made from the frames. \
            The format follows the extension of -o.

            Examples:
              frontline animate --from 2022-03-01 --to 2022-03-28 -o parukh.mp4
              frontline animate --from 2020-11-10 --to 2020-12-15 --step 7d --fps 2 -o handovers.gif
              frontline animate --from 2022-03-01 --to 2022-09-01 --step 1m --around parukh -o spring.webm
            """
    )

    @OptionGroup var dataset: DatasetOptions
    // Place names in a language: the same option as `render`; the map request carries it.
    @OptionGroup var language: LanguageOptions
    @OptionGroup var styleOptions: StyleOptions
    @Option(help: ArgumentHelp("The first date.", valueName: "date")) var from: CalendarDate
    @Option(help: ArgumentHelp("The last date.", valueName: "date")) var to: CalendarDate
    @Option(help: ArgumentHelp("The frames' spacing: key-dates (the dataset's), Nd (days) or Nm (months), e.g. 1d, 7d, 1m.",
                               valueName: "step"))
    var step = AnimationStepArgument(argument: "key-dates")!
    @Option(help: "Frames per second, 1 to 60.") var fps = 1
    @Option(help: ArgumentHelp("Frame size in pixels, each 16 to 8192 (even for MP4 and WebM).", valueName: "WxH"))
    var size = PixelSize(argument: "1280x720")!
    @Option(help: ArgumentHelp("Area to show, in degrees, west < east, south < north (default: the ground that changed hands).",
                               valueName: "w,s,e,n"))
    var bbox: LonLatBox?
    @OptionGroup var framing: FramingOptions
    @Option(help: "The title (default: the dataset's title).") var title: String?
    @Option(name: .shortAndLong, help: ArgumentHelp("Output file: .mp4, .webm or .gif.", valueName: "file")) var output: String

    func validate() throws {
        if from >= to { throw ValidationError("--from (\(from)) must be earlier than --to (\(to))") }
        guard let format = VideoFormat(path: output) else { throw ValidationError("-o must end in .mp4, .webm or .gif (got '\(output)')") }
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be 1 to 60") }
        if format.needsEvenSides, size.width % 2 != 0 || size.height % 2 != 0 {
            throw ValidationError("\(format.rawValue.uppercased()) frames need even sides (got \(size.width)x\(size.height))")
        }
        if bbox != nil, framing.around != nil { throw ValidationError("give either --bbox or --around, not both") }
    }

    func run() throws {
        let source = try dataset.mapSource(styleOptions.catalog)
        var request = AnimationRequest(from: from, to: to)
        request.step = step.step
        request.style = styleOptions.name
        (request.width, request.height) = (size.width, size.height)
        request.bbox = bbox?.box
        request.around = framing.focus
        request.inset = framing.inset
        request.language = language.code
        request.title = title
        let reporter = ProgressReporter(label: "animate \(from) to \(to)", unit: "frames")
        let frames = try reportingFailures {
            let animation = try source.animation(source.data, request)
            let encoder = try VideoEncoder(output: output, fps: fps)
            defer { reporter.finish() }
            try animation.render(deliver: { _, png in try encoder.append(png: png) }, progress: { reporter.update($0, $1) })
            try encoder.finish()
            return encoder.frameCount
        }
        Console.error("frontline: wrote \(frames) frames to \(output)")
    }
}

/// `key-dates`, `Nd` or `Nm`.
struct AnimationStepArgument: ExpressibleByArgument {
    /// The step.
    var step: AnimationStep

    init?(argument: String) {
        guard let step = AnimationStep(argument) else { return nil }
        self.step = step
    }

    var defaultValueDescription: String { step.description }
}
