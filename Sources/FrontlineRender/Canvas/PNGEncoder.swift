import CZlib

/// How a PNG's rows are compressed.
public enum PNGCompression: Sendable {
    /// zlib's run-length strategy: what tiles and files get, since they are kept and sent again.
    case small
    /// For an opaque image, ``FlatDeflate``'s single pass over the pixels: several times faster
    /// and about a quarter larger (on maps); what a map drawn for one request (WMS) gets.
    case fast
}

/// Encodes 32-bit premultiplied ARGB pixels (Cairo's image format) as PNG, tuned for maps: the
/// Sub filter (flat colours become runs of zeros), RGB when every pixel is opaque, and zlib's
/// run-length strategy, or with ``PNGCompression/fast`` a pass of its own. Several times faster
/// than Cairo's own PNG writer with files of about the same size.
struct PNGEncoder {
    var compression = PNGCompression.small
    /// zlib level, 1 (fast) to 9 (small).
    private let level: Int32 = 6
    /// zlib strategy (`Z_RLE` suits flat-coloured maps).
    private let strategy: Int32 = Z_RLE

    func encode(_ pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) throws -> [UInt8] {
        // Opaque images (tiles with a background) drop the alpha channel.
        var opaque = true
        for y in 0..<height where opaque {
            let row = UnsafeBufferPointer(start: UnsafeRawPointer(pixels + y * stride).assumingMemoryBound(to: UInt32.self), count: width)
            // A row is opaque when the AND of its pixels has every alpha bit (a loop the compiler vectorises).
            opaque = row.reduce(UInt32.max, &) >> 24 == 0xFF
        }
        if opaque, compression == .fast {
            return container(width: width, height: height, opaque: true,
                             stream: FlatDeflate.zlibStream(pixels, width: width, height: height, stride: stride))
        }
        let channels = opaque ? 3 : 4
        let rowBytes = 1 + width * channels
        // Every byte is written below: no need to zero the buffer first.
        let raw = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { out, count in
            let base = out.baseAddress!
            for y in 0..<height {
                let row = UnsafeRawPointer(pixels + y * stride).assumingMemoryBound(to: UInt32.self)
                var o = base + y * rowBytes
                o.pointee = 1   // filter: Sub (each byte minus the same channel of the pixel to its left)
                o += 1
                if opaque {
                    // Opaque pixels need no un-premultiplying: the filter works on whole words, each
                    // byte minus its neighbour's without borrowing from the next byte (SWAR).
                    var previous: UInt32 = 0
                    for x in 0..<width {
                        let word = row[x]
                        let d = ((word | 0x8080_8080) &- (previous & 0x7F7F_7F7F)) ^ ((word ^ ~previous) & 0x8080_8080)
                        o[0] = UInt8(truncatingIfNeeded: d >> 16)
                        o[1] = UInt8(truncatingIfNeeded: d >> 8)
                        o[2] = UInt8(truncatingIfNeeded: d)
                        previous = word
                        o += 3
                    }
                    continue
                }
                var pr: UInt8 = 0, pg: UInt8 = 0, pb: UInt8 = 0, pa: UInt8 = 0
                for x in 0..<width {
                    let word = row[x]
                    let a = word >> 24
                    var r = (word >> 16) & 0xFF, g = (word >> 8) & 0xFF, b = word & 0xFF
                    if a != 0xFF && a != 0 {
                        // Un-premultiply, rounding to nearest.
                        r = min(255, (r * 255 + a / 2) / a); g = min(255, (g * 255 + a / 2) / a); b = min(255, (b * 255 + a / 2) / a)
                    }
                    let cr = UInt8(r), cg = UInt8(g), cb = UInt8(b), ca = UInt8(a)
                    o[0] = cr &- pr
                    o[1] = cg &- pg
                    o[2] = cb &- pb
                    o[3] = ca &- pa
                    pr = cr; pg = cg; pb = cb; pa = ca
                    o += 4
                }
            }
            count = rowBytes * height
        }
        return container(width: width, height: height, opaque: opaque, stream: try deflate(raw))
    }

    /// The PNG file around a zlib stream of the image's rows.
    private func container(width: Int, height: Int, opaque: Bool, stream: [UInt8]) -> [UInt8] {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.append(contentsOf: bigEndian(UInt32(width)))
        header.append(contentsOf: bigEndian(UInt32(height)))
        header.append(contentsOf: [8, opaque ? 2 : 6, 0, 0, 0])   // 8 bits, RGB or RGBA, deflate, no filter method variants, no interlace
        chunk("IHDR", header, into: &png)
        chunk("IDAT", stream, into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    private func deflate(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // Returns Z_OK on success; windowBits 15 and memLevel 8 are zlib's defaults.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15, 8, strategy, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RenderError("deflateInit2", "cannot start zlib")
        }
        defer { deflateEnd(&stream) }
        // zlib writes what is read back (`total_out` bytes): the buffer needs no zeroing.
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](unsafeUninitializedCapacity: bound) { _, count in count = bound }
        let status: Int32 = input.withUnsafeBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        // One call with a buffer of deflateBound's size always finishes.
        guard status == Z_STREAM_END else { throw RenderError("deflate", "zlib returned \(status)") }
        return Array(output.prefix(Int(stream.total_out)))
    }

    private func chunk(_ type: String, _ data: [UInt8], into png: inout [UInt8]) {
        png.append(contentsOf: bigEndian(UInt32(data.count)))
        let typed = Array(type.utf8) + data
        png.append(contentsOf: typed)
        let crc = typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
        png.append(contentsOf: bigEndian(UInt32(crc)))
    }

    private func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
}
