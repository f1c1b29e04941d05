import CZlib

/// gzip (RFC 1952) through zlib: vector tiles travel and are kept gzipped, as web maps and
/// MBTiles expect them.
public enum Gzip {
    /// `bytes` gzipped (zlib's default level).
    public static func compress(_ bytes: [UInt8]) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw GzipError("cannot start zlib") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let status = bytes.withUnsafeBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
                stream.avail_in = uInt(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw GzipError("zlib returned \(status)") }
        return Array(output.prefix(Int(stream.total_out)))
    }

    /// The bytes a gzip stream holds.
    public static func decompress(_ bytes: [UInt8]) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw GzipError("cannot start zlib") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: max(4096, bytes.count * 4))
        var status: Int32 = Z_OK
        bytes.withUnsafeBufferPointer { i in
            stream.next_in = UnsafeMutablePointer(mutating: i.baseAddress)
            stream.avail_in = uInt(i.count)
            while status == Z_OK {
                chunk.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress
                    stream.avail_out = uInt(o.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: o.prefix(o.count - Int(stream.avail_out)))
                }
            }
        }
        guard status == Z_STREAM_END else { throw GzipError("not a whole gzip stream (zlib returned \(status))") }
        return output
    }
}

/// A gzip stream that could not be made or read.
public struct GzipError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
