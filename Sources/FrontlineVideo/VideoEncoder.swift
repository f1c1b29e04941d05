import Foundation

/// An ffmpeg process that turns PNG frames into an MP4, WebM or GIF file: the one owner of that
/// process. Frames go in through a pipe, in order; ffmpeg writes a temporary file beside the
/// output, renamed onto it only when ffmpeg succeeds, so a failed or interrupted encoding never
/// leaves a broken file under the asked-for name. Not `Sendable`: one thread feeds it.
public final class VideoEncoder {
    /// The file written.
    public let output: URL
    /// Its format.
    public let format: VideoFormat
    private let process: Process
    private let input: FileHandle
    private let temporary: URL
    private let log: URL
    private var finished = false
    /// Frames written so far.
    public private(set) var frameCount = 0

    /// Starts ffmpeg for `output` (its extension gives the format) at `fps` frames per second.
    /// Throws when the extension is not one of the formats, the folder cannot be written, or
    /// ffmpeg is missing (`executable` is looked for on `searchPath`, by default the PATH).
    public init(output path: String, fps: Int, executable: String = "ffmpeg",
                searchPath: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") throws {
        guard let format = VideoFormat(path: path) else {
            throw VideoError(.unwritableOutput, "\(path): the file name must end in .mp4, .webm or .gif")
        }
        let output = URL(fileURLWithPath: path).standardizedFileURL
        let folder = output.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw VideoError(.unwritableOutput, "cannot write \(path): the folder \(folder.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: output.path, isDirectory: &isFolder), isFolder.boolValue {
            throw VideoError(.unwritableOutput, "cannot write \(path): it is a folder")
        }
        guard let ffmpeg = VideoEncoder.locate(executable, in: searchPath) else {
            throw VideoError(.encoderMissing, "animations are encoded by ffmpeg, which is not installed: "
                             + "apt-get install ffmpeg (scripts/setup.sh installs it)")
        }
        guard (1...60).contains(fps) else { throw VideoError(.encodingFailed, "the frame rate must be 1 to 60 (got \(fps))") }
        self.output = output
        self.format = format
        let stem = ".\(output.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
        temporary = folder.appendingPathComponent(stem + ".part")
        // Made here, before any frame is drawn, so that a folder that takes no files (read-only,
        // /proc) is refused at once rather than after the rendering.
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw VideoError(.unwritableOutput, "cannot write \(path): the folder \(folder.path) is not writable")
        }
        log = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-ffmpeg-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let logHandle = FileHandle(forWritingAtPath: log.path) else {
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError(.encodingFailed, "cannot create ffmpeg's log in \(FileManager.default.temporaryDirectory.path)")
        }
        defer { try? logHandle.close() }
        // A write to ffmpeg after it has stopped must fail with EPIPE, not end this process.
        signal(SIGPIPE, SIG_IGN)
        process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        // The output as file:PATH, so that no name is read as an option or another protocol.
        process.arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                             "-f", "image2pipe", "-c:v", "png", "-framerate", String(fps), "-i", "pipe:0"]
            + format.outputArguments + ["file:" + temporary.path]
        let pipe = Pipe()
        process.standardInput = pipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = logHandle
        input = pipe.fileHandleForWriting
        do {
            try process.run()
        } catch {
            // Fully initialised, so deinit runs: it must not wait for a process that never started.
            finished = true
            try? FileManager.default.removeItem(at: log)
            try? FileManager.default.removeItem(at: temporary)
            throw VideoError(.encoderMissing, "cannot start \(ffmpeg): \(error.localizedDescription)")
        }
    }

    deinit {
        guard !finished else { return }
        // Abandoned: stop ffmpeg and leave nothing behind.
        try? input.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: temporary)
        try? FileManager.default.removeItem(at: log)
    }

    /// Sends one PNG frame.
    public func append(png: [UInt8]) throws {
        precondition(!finished, "append after finish")
        do {
            try input.write(contentsOf: Data(png))
        } catch {
            throw failure("ffmpeg stopped taking frames")
        }
        frameCount += 1
    }

    /// Ends the input, waits for ffmpeg and moves the file into place.
    public func finish() throws {
        precondition(!finished, "finish twice")
        finished = true
        defer {
            try? FileManager.default.removeItem(at: temporary)
            try? FileManager.default.removeItem(at: log)
        }
        try? input.close()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else { throw failure("ffmpeg failed") }
        // rename(2) replaces the name in one step; returns 0 on success, -1 with errno set.
        guard rename(temporary.path, output.path) == 0 else {
            throw VideoError(.unwritableOutput, "cannot write \(output.path): \(String(cString: strerror(errno)))")
        }
    }

    /// An error with what ffmpeg said (its last lines).
    private func failure(_ what: String) -> VideoError {
        if process.isRunning { try? input.close(); process.waitUntilExit() }
        let said = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let tail = said.split(separator: "\n").suffix(5).joined(separator: "\n")
        return VideoError(.encodingFailed, "\(what) writing \(output.path)" + (tail.isEmpty ? "" : ":\n" + tail))
    }

    /// The executable named `name` in the folders of `searchPath` (colon-separated); nil when none.
    public static func locate(_ name: String, in searchPath: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
