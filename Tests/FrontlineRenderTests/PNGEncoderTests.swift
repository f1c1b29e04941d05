import CZlib
@testable import FrontlineRender
import Testing

/// The PNG encoder's own compression (``FlatDeflate``) against zlib's decoder, which checks the
/// stream and its Adler-32, on rows built to hit every case: runs shorter and longer than a
/// match, runs ending a row, black pixels (zeros from the first), single-pixel rows.
@Suite struct PNGEncoderTests {
    /// Opaque ARGB pixels, `width` a row.
    static func image(width: Int, height: Int, _ pixel: (Int, Int) -> UInt32) -> [UInt32] {
        (0..<height).flatMap { y in (0..<width).map { x in pixel(x, y) | 0xFF00_0000 } }
    }

    /// The rows as PNG holds them before compression: filter type 1, then each RGB byte minus the
    /// one three bytes before it.
    static func subFiltered(_ pixels: [UInt32], width: Int) -> [UInt8] {
        var out: [UInt8] = []
        for row in stride(from: 0, to: pixels.count, by: width) {
            out.append(1)
            var previous: [UInt8] = [0, 0, 0]
            for word in pixels[row..<(row + width)] {
                let rgb = [UInt8(word >> 16 & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word & 0xFF)]
                out += zip(rgb, previous).map { $0 &- $1 }
                previous = rgb
            }
        }
        return out
    }

    /// zlib's inflate of `stream`; nil when it is not a valid zlib stream (Adler-32 included).
    static func inflated(_ stream: [UInt8], size: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: size + 16)
        var length = uLongf(out.count)
        let status = out.withUnsafeMutableBufferPointer { o in
            stream.withUnsafeBufferPointer { i in uncompress(o.baseAddress, &length, i.baseAddress, uLong(i.count)) }
        }
        return status == Z_OK ? Array(out.prefix(Int(length))) : nil
    }

    @Test(arguments: [1, 2, 3, 86, 87, 88, 89, 200, 1024])
    func theFastStreamInflatesToTheFilteredRows(width: Int) {
        var seed: UInt32 = 7
        func random() -> UInt32 { seed = seed &* 1_664_525 &+ 1_013_904_223; return seed >> 8 }
        // Rows of one colour (3 × width zeros after the first pixel), black rows, runs of every
        // length 1…40, noise, and a gradient.
        let pixels = Self.image(width: width, height: 48) { x, y in
            switch y % 6 {
            case 0: 0x00EC_C877
            case 1: 0
            case 2: UInt32((x / (y / 6 + 1)) % 3) * 0x0011_2233
            case 3: random()
            case 4: UInt32(x & 0xFF) << 8
            default: x < width / 2 ? 0x0079_B2D0 : 0x0079_B2D1
            }
        }
        let expected = Self.subFiltered(pixels, width: width)
        let stream = pixels.withUnsafeBytes { FlatDeflate.zlibStream($0.baseAddress!.assumingMemoryBound(to: UInt8.self), width: width, height: 48, stride: width * 4) }
        let found = Self.inflated(stream, size: expected.count)
        #expect(found == expected)
        // Flat rows compress: a one-colour row of 1024 pixels takes a few bytes, not 3 KB.
        let flat = Self.image(width: width, height: 48) { _, _ in 0x00EC_C877 }
        let flatStream = flat.withUnsafeBytes { FlatDeflate.zlibStream($0.baseAddress!.assumingMemoryBound(to: UInt8.self), width: width, height: 48, stride: width * 4) }
        #expect(Self.inflated(flatStream, size: 48 * (1 + 3 * width)) == Self.subFiltered(flat, width: width))
        #expect(flatStream.count <= 48 * (6 + 2 * (3 * width / 258 + 1)) + 16, "\(flatStream.count) bytes for 48 rows of \(width)")
    }

    @Test func bothCompressionsGiveTheSamePixels() throws {
        func drawn() throws -> Canvas {
            let canvas = try Canvas(width: 300, height: 200, format: .png)
            canvas.paint(Color(r: 236, g: 200, b: 119))
            canvas.circle(x: 150, y: 100, radius: 40)
            canvas.fill(Color(r: 121, g: 178, b: 208))
            return canvas
        }
        let small = try RasterImage(png: try drawn().finish(compression: .small))
        let fast = try RasterImage(png: try drawn().finish(compression: .fast))
        #expect(fast.pixel(x: 150, y: 100) == Color(r: 121, g: 178, b: 208))
        #expect(fast.pixel(x: 5, y: 5) == Color(r: 236, g: 200, b: 119))
        #expect(fast.difference(to: small, threshold: 0)?.changedShare == 0)
    }
}
