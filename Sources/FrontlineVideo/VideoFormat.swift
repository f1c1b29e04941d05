/// The animation formats, chosen by the output file's extension, and how ffmpeg makes each.
public enum VideoFormat: String, Sendable, CaseIterable {
    /// H.264 in MP4, yuv420p: what social media and every browser play.
    case mp4
    /// VP9 in WebM.
    case webm
    /// An animated GIF with a palette made from the frames (palettegen, paletteuse).
    case gif

    /// The format of a file name's extension (any case); nil for others.
    public init?(path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        self.init(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// True when the codec's 4:2:0 chroma needs even frame sides.
    public var needsEvenSides: Bool { self != .gif }

    /// ffmpeg's options for the output: codec, pixel format, container.
    var outputArguments: [String] {
        switch self {
        case .mp4:
            // +faststart moves the index to the front so that a player starts before the whole file is in.
            return ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "medium", "-crf", "20", "-movflags", "+faststart", "-f", "mp4"]
        case .webm:
            // Constant quality: -b:v 0 with -crf.
            return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-crf", "32", "-b:v", "0", "-row-mt", "1", "-f", "webm"]
        case .gif:
            // One palette from all the frames (flat map colours fit in 256), applied to each frame.
            return ["-filter_complex", "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=bayer:bayer_scale=4",
                    "-loop", "0", "-f", "gif"]
        }
    }
}
