import Foundation
import Testing
@testable import FrontlineData
import FrontlineGeometry
import FrontlineRender
import FrontlineVideo

/// Animated timelines: planned by the map source, encoded by ffmpeg, read back with ffprobe and
/// ffmpeg (Debian's, installed by scripts/setup.sh).
@Suite struct AnimationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let source = Result {
        try MapSource(source: FolderDataSource(directory: repository.appendingPathComponent("geodata")), styles: StyleCatalog(strict: true))
    }
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// March 2022 by its key dates: 1, 8, 24, 26 and 28 March.
    static func march(width: Int = 320, height: Int = 240) -> AnimationRequest {
        var request = AnimationRequest(from: day("2022-03-01"), to: day("2022-03-28"))
        (request.width, request.height) = (width, height)
        return request
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) failed: \(errors)")
        return String(decoding: data, as: UTF8.self)
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-video-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Encodes an animation into `file`; its plan.
    @discardableResult
    static func encode(_ request: AnimationRequest, to file: URL, fps: Int = 2) throws -> Animation {
        let source = try source.get()
        let animation = try source.animation(source.data, request)
        let encoder = try VideoEncoder(output: file.path, fps: fps)
        try animation.render(deliver: { _, png in try encoder.append(png: png) })
        try encoder.finish()
        return animation
    }

    @Test func theStepsGiveTheFramesDates() {
        let keys = [KeyDate(date: Self.day("2022-03-08"), label: ""), KeyDate(date: Self.day("2022-03-24"), label: ""),
                    KeyDate(date: Self.day("2023-01-01"), label: "")]
        let (a, b) = (Self.day("2022-03-01"), Self.day("2022-03-28"))
        #expect(AnimationStep.keyDates.dates(from: a, to: b, keyDates: keys).map(\.description)
                == ["2022-03-01", "2022-03-08", "2022-03-24", "2022-03-28"])
        #expect(AnimationStep("7d")!.dates(from: a, to: b, keyDates: keys).map(\.description)
                == ["2022-03-01", "2022-03-08", "2022-03-15", "2022-03-22", "2022-03-28"])
        #expect(AnimationStep("1m")!.dates(from: Self.day("2022-01-31"), to: Self.day("2022-04-15"), keyDates: []).map(\.description)
                == ["2022-01-31", "2022-02-28", "2022-03-31", "2022-04-15"])
        #expect(AnimationStep("1d")!.dates(from: a, to: b, keyDates: []).count == 28)
        for bad in ["", "0d", "7", "1y", "-1d", "+1d", "key dates", "1000d"] { #expect(AnimationStep(bad) == nil, "\(bad)") }
    }

    @Test(arguments: VideoFormat.allCases)
    func theFileHasTheFramesAndSizeAskedFor(_ format: VideoFormat) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("march.\(format.rawValue)")
        let animation = try Self.encode(Self.march(width: 320, height: 240), to: file)
        #expect(animation.dates.map(\.description) == ["2022-03-01", "2022-03-08", "2022-03-24", "2022-03-26", "2022-03-28"])
        let probe = try Self.run("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0",
                                             "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "default=noprint_wrappers=1", file.path])
        let fields = Dictionary(uniqueKeysWithValues: probe.split(separator: "\n").compactMap { line -> (String, String)? in
            let kv = line.split(separator: "=", maxSplits: 1)
            return kv.count == 2 ? (String(kv[0]), String(kv[1])) : nil
        })
        #expect(fields["codec_name"] == ["mp4": "h264", "webm": "vp9", "gif": "gif"][format.rawValue])
        #expect(fields["width"] == "320" && fields["height"] == "240", "\(fields)")
        #expect(fields["nb_read_frames"] == "5", "\(fields)")
        // Nothing left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["march.\(format.rawValue)"])
    }

    @Test func theFramesBeforeAndAfter24March2022DifferAtParukh() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("march.mp4")
        let animation = try Self.encode(Self.march(width: 480, height: 360), to: file)
        // The frames as ffmpeg decodes them from the file.
        _ = try Self.run("ffmpeg", ["-v", "error", "-i", file.path, folder.appendingPathComponent("frame-%d.png").path])
        func frame(_ date: String) throws -> RasterImage {
            let index = try #require(animation.dates.firstIndex(of: Self.day(date)))
            return try RasterImage(png: Array(try Data(contentsOf: folder.appendingPathComponent("frame-\(index + 1).png"))))
        }
        let source = try Self.source.get()
        let parukh = try #require(source.data.dataset.villages.first { $0.id == "parukh" })
        // A spot of the ground that changed hands, just south of the village (its dot and label are on it).
        let (px, py) = animation.viewport.transform.apply(WebMercator.x(longitude: parukh.lon), WebMercator.y(latitude: parukh.lat - 0.006))
        func mean(_ image: RasterImage) -> (Double, Double, Double) {
            var (r, g, b, n) = (0.0, 0.0, 0.0, 0.0)
            for y in Int(py) - 3...Int(py) + 3 {
                for x in Int(px) - 3...Int(px) + 3 {
                    guard let c = image.pixel(x: x, y: y) else { continue }
                    (r, g, b, n) = (r + c.red, g + c.green, b + c.blue, n + 1)
                }
            }
            return (r / n, g / n, b / n)
        }
        func distance(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
            abs(a.0 - b.0) + abs(a.1 - b.1) + abs(a.2 - b.2)
        }
        let (first, before, after) = (mean(try frame("2022-03-01")), mean(try frame("2022-03-08")), mean(try frame("2022-03-24")))
        #expect(distance(first, before) < 0.08, "nothing changed there between 1 and 8 March: \(first) vs \(before)")
        #expect(distance(before, after) > 0.25, "Parukh changed hands on 24 March: \(before) vs \(after)")
        #expect(after.2 > before.2, "bluer: Azerbaijani forces' colour and hatch")
    }

    @Test func badRequestsAreClearErrors() throws {
        let source = try Self.source.get()
        var backwards = Self.march()
        (backwards.from, backwards.to) = (backwards.to, backwards.from)
        #expect(throws: MapRequestError.self) { try source.animation(source.data, backwards) }
        var outside = Self.march()
        outside.from = Self.day("2019-01-01")
        #expect(throws: (any Error).self) { try source.animation(source.data, outside) }
        var style = Self.march()
        style.style = "no-such-style"
        #expect(throws: (any Error).self) { try source.animation(source.data, style) }
        var daily = AnimationRequest(from: Self.day("2020-11-10"), to: Self.day("2023-09-30"))
        daily.step = .days(1)
        #expect(throws: MapRequestError.self) { _ = try source.animation(source.data, daily).dates.count }
    }

    @Test func theEncoderRefusesWhatItCannotWrite() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(VideoEncoder.locate("ffmpeg", in: "/nonexistent:/also-not") == nil)
        #expect(throws: VideoError.self) { try VideoEncoder(output: folder.appendingPathComponent("a.mp4").path, fps: 1, searchPath: "/nonexistent") }
        #expect(throws: VideoError.self) { try VideoEncoder(output: "/nonexistent/folder/a.mp4", fps: 1) }
        // A folder that takes no files is refused before any frame is drawn.
        #expect(throws: VideoError(.unwritableOutput, "cannot write /proc/a.mp4: the folder /proc is not writable")) {
            try VideoEncoder(output: "/proc/a.mp4", fps: 1)
        }
        #expect(throws: VideoError.self) { try VideoEncoder(output: folder.appendingPathComponent("a.avi").path, fps: 1) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.mp4"), withIntermediateDirectories: false)
        #expect(throws: VideoError.self) { try VideoEncoder(output: folder.appendingPathComponent("taken.mp4").path, fps: 1) }
        // Frames that are not images: ffmpeg fails, and no file is left under the name.
        let garbage = folder.appendingPathComponent("garbage.mp4")
        let encoder = try VideoEncoder(output: garbage.path, fps: 1)
        #expect(throws: VideoError.self) {
            try encoder.append(png: Array("not a PNG".utf8))
            try encoder.finish()
        }
        #expect(!FileManager.default.fileExists(atPath: garbage.path))
        // A name ffmpeg could read as an option or a protocol is still just a file name.
        let odd = folder.appendingPathComponent("-y concat:x|y.gif")
        try Self.encode(AnimationRequest(from: Self.day("2022-03-24"), to: Self.day("2022-03-26")).sized(64, 48), to: odd)
        #expect(FileManager.default.fileExists(atPath: odd.path))
    }
}

extension AnimationRequest {
    fileprivate func sized(_ width: Int, _ height: Int) -> AnimationRequest {
        var r = self
        (r.width, r.height) = (width, height)
        return r
    }
}
