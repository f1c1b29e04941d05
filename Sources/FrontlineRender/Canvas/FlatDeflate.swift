/// The zlib stream of an opaque image's PNG rows, Sub-filtered, in one pass over Cairo's pixels:
/// what ``PNGEncoder`` writes for maps, whose large flat areas make most rows long runs of
/// identical pixels. A run filters to zero bytes and is written as matches at distance 1 (what
/// zlib's run-length strategy finds, byte by byte), found here a pixel at a time; the other
/// bytes are literals. One final block with deflate's fixed Huffman codes (RFC 1951, 3.2.6), so
/// that nothing is counted or sorted first; Adler-32 (RFC 1950) counts a run in one step. The
/// file is about a quarter larger than zlib's (no code tables fitted to the image: +26 % on
/// the default data's tiles and maps), for a fraction of the time (a 1024×768 WMS map: zlib and
/// the filter took 40 % of the CPU; this pass takes 7 %).
enum FlatDeflate {
    /// The zlib stream of the rows of `width` × `height` opaque ARGB pixels (`stride` bytes a row),
    /// each row filter type 1 (Sub) followed by its red, green and blue bytes.
    static func zlibStream(_ pixels: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int) -> [UInt8] {
        // At worst 9 bits a byte, plus the headers and the trailer.
        let capacity = (1 + 3 * width) * height * 9 / 8 + 64
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var out = BitWriter(buffer.baseAddress!)
            out.put(0x78, 8)                 // CMF: deflate, 32 KiB window
            out.put(0x01, 8)                 // FLG: no dictionary, check bits (0x7801 % 31 == 0)
            out.put(0b011, 3)                // BFINAL, BTYPE 01: fixed Huffman codes
            var adler = Adler32()
            for y in 0..<height {
                let row = UnsafeRawPointer(pixels + y * stride).assumingMemoryBound(to: UInt32.self)
                out.literal(1)               // filter type: Sub
                adler.add(1)
                var last: UInt8 = 1          // the byte a match at distance 1 repeats
                var previous: UInt32 = 0xFF00_0000
                var x = 0
                while x < width {
                    let word = row[x] | 0xFF00_0000
                    if word == previous {
                        // A run of the same pixel: three zero bytes each.
                        var end = x + 1
                        while end < width, row[end] | 0xFF00_0000 == word { end += 1 }
                        var zeros = 3 * (end - x)
                        adler.add(zeros: zeros)
                        if last != 0 { out.literal(0); zeros -= 1; last = 0 }
                        while zeros > 0 {
                            if zeros < 3 {
                                for _ in 0..<zeros { out.literal(0) }
                                break
                            }
                            // Lengths run to 258; leave at least 3 for the next match.
                            let length = zeros <= 258 ? zeros : (zeros - 258 >= 3 ? 258 : zeros - 3)
                            out.matchAtDistanceOne(length)
                            zeros -= length
                        }
                        x = end
                        continue
                    }
                    // Each byte minus its neighbour's, without borrowing across bytes (SWAR).
                    let d = ((word | 0x8080_8080) &- (previous & 0x7F7F_7F7F)) ^ ((word ^ ~previous) & 0x8080_8080)
                    let r = UInt8(truncatingIfNeeded: d >> 16), g = UInt8(truncatingIfNeeded: d >> 8), b = UInt8(truncatingIfNeeded: d)
                    out.literal(r)
                    out.literal(g)
                    out.literal(b)
                    adler.add(r)
                    adler.add(g)
                    adler.add(b)
                    last = b
                    previous = word
                    x += 1
                }
                adler.reduce()
            }
            out.put(0, 7)                    // end of block (symbol 256)
            out.alignToByte()
            let check = adler.value
            for shift in [24, 16, 8, 0] { out.put(UInt64((check >> UInt32(shift)) & 0xFF), 8) }
            count = out.finish()
        }
    }

    /// Writes deflate's bit stream: values least significant bit first, Huffman codes reversed.
    struct BitWriter {
        private let start: UnsafeMutablePointer<UInt8>
        private var cursor: UnsafeMutablePointer<UInt8>
        private var bits: UInt64 = 0
        private var count = 0

        init(_ start: UnsafeMutablePointer<UInt8>) {
            self.start = start
            cursor = start
        }

        @inline(__always)
        mutating func put(_ value: UInt64, _ width: Int) {
            bits |= value << UInt64(count)
            count += width
            if count >= 32 {
                UnsafeMutableRawPointer(cursor).storeBytes(of: UInt32(truncatingIfNeeded: bits).littleEndian, as: UInt32.self)
                cursor += 4
                bits >>= 32
                count -= 32
            }
        }

        @inline(__always)
        mutating func literal(_ byte: UInt8) {
            let code = FlatDeflate.literalCodes[Int(byte)]
            put(UInt64(code & 0xFFFF), Int(code >> 16))
        }

        /// A match of `length` (3…258) bytes at distance 1 (distance code 0: five zero bits).
        @inline(__always)
        mutating func matchAtDistanceOne(_ length: Int) {
            let code = FlatDeflate.lengthCodes[length]
            put(UInt64(code & 0xFFFF), Int(code >> 16) + 5)
        }

        mutating func alignToByte() {
            if count % 8 != 0 { put(0, 8 - count % 8) }
        }

        /// Writes what is left; the number of bytes written.
        mutating func finish() -> Int {
            while count > 0 {
                cursor.pointee = UInt8(truncatingIfNeeded: bits)
                cursor += 1
                bits >>= 8
                count -= 8
            }
            return cursor - start
        }
    }

    /// RFC 1950's checksum of the stream's bytes, reduced once a row.
    struct Adler32 {
        private var a: UInt64 = 1, b: UInt64 = 0

        @inline(__always)
        mutating func add(_ byte: UInt8) {
            a += UInt64(byte)
            b += a
        }

        /// `n` zero bytes: `a` stays, `b` gains `a` for each.
        @inline(__always)
        mutating func add(zeros n: Int) { b += UInt64(n) * a }

        mutating func reduce() {
            a %= 65521
            b %= 65521
        }

        var value: UInt32 { UInt32(((b % 65521) << 16) | (a % 65521)) }
    }

    /// `reversed code | bit count << 16` of `value`'s `width`-bit Huffman code.
    private static func reversed(_ value: Int, _ width: Int) -> UInt32 {
        var r = 0
        for k in 0..<width where value >> k & 1 == 1 { r |= 1 << (width - 1 - k) }
        return UInt32(r) | UInt32(width) << 16
    }

    /// Each literal byte's fixed code: 0–143 are 8 bits from 0x30, 144–255 are 9 bits from 0x190.
    static let literalCodes: [UInt32] = (0..<256).map { $0 < 144 ? reversed(0x30 + $0, 8) : reversed(0x190 + $0 - 144, 9) }

    /// Each match length's (3…258) fixed code with its extra bits after it, as one value.
    static let lengthCodes: [UInt32] = {
        let bases = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        let extra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        var codes = [UInt32](repeating: 0, count: 259)
        for length in 3...258 {
            let k = bases.lastIndex { $0 <= length }!
            let symbol = 257 + k
            // Symbols 257–279 are 7 bits from 0, 280–287 are 8 bits from 0xC0.
            let code = symbol < 280 ? reversed(symbol - 256, 7) : reversed(0xC0 + symbol - 280, 8)
            let width = Int(code >> 16)
            codes[length] = (code & 0xFFFF) | UInt32(length - bases[k]) << width | UInt32(width + extra[k]) << 16
        }
        return codes
    }()
}
