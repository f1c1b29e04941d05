import CGDAL
import Foundation

/// JPEG through GDAL's JPEG driver (libjpeg-turbo inside libgdal): the pixels go into an
/// in-memory raster, which GDAL copies to a JPEG file in its memory file system.
public enum JPEGEncoder {
    /// Encodes `rgb` (three bytes a pixel, rows top to bottom, no padding) at `quality` (1–100).
    public static func encode(rgb: [UInt8], width: Int, height: Int, quality: Int = 85) throws -> [UInt8] {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw VectorFormatError(.cannotWrite, file: "JPEG", message: "\(rgb.count) bytes are not \(width)x\(height) RGB pixels")
        }
        return try GDALSession.run { session -> [UInt8] in
            // GDALGetDriverByName and GDALCreate return NULL on failure.
            guard let memory = GDALGetDriverByName("MEM"), let jpeg = GDALGetDriverByName("JPEG") else {
                throw VectorFormatError(.cannotWrite, file: "JPEG", message: "GDAL has no MEM or JPEG driver")
            }
            guard let raster = GDALCreate(memory, "", Int32(width), Int32(height), 3, GDT_Byte, nil) else {
                throw VectorFormatError(.cannotWrite, file: "JPEG", message: session.lastError(or: "cannot make an in-memory raster"))
            }
            defer { GDALClose(raster) }
            var bands: [Int32] = [1, 2, 3]
            var pixels = rgb
            // Pixel-interleaved input: 3 bytes from one pixel to the next, 3 × width from one row to the next, 1 between bands.
            let written = pixels.withUnsafeMutableBytes { buffer in
                GDALDatasetRasterIO(raster, GF_Write, 0, 0, Int32(width), Int32(height), buffer.baseAddress, Int32(width), Int32(height),
                                    GDT_Byte, 3, &bands, 3, Int32(3 * width), 1)
            }
            guard written == CE_None else { throw VectorFormatError(.cannotWrite, file: "JPEG", message: session.lastError(or: "cannot fill the raster")) }
            let path = "/vsimem/frontline-\(UUID().uuidString).jpg"
            let options = ["QUALITY=\(min(100, max(1, quality)))"]
            var cOptions: [UnsafeMutablePointer<CChar>?] = options.map { strdup($0) } + [nil]
            defer { for option in cOptions { free(option) } }
            // GDALCreateCopy returns the new dataset, or NULL on failure.
            guard let copy = GDALCreateCopy(jpeg, path, raster, 0, &cOptions, nil, nil) else {
                throw VectorFormatError(.cannotWrite, file: "JPEG", message: session.lastError(or: "GDAL could not write the JPEG"))
            }
            GDALClose(copy)
            var length: vsi_l_offset = 0
            // Takes the file out of the memory file system (unlinked; the buffer is ours to free).
            guard let bytes = VSIGetMemFileBuffer(path, &length, 1) else { throw VectorFormatError(.cannotWrite, file: "JPEG", message: "the encoded file is missing") }
            defer { VSIFree(bytes) }
            return Array(UnsafeBufferPointer(start: bytes, count: Int(length)))
        }.0
    }
}
