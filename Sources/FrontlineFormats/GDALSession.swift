import CGDAL

/// GDAL's state for one read or write on the calling thread: the library loaded and its drivers
/// registered (once per process; see Sources/CGDAL for why it is loaded on first use), and GDAL's messages collected instead of printed on stderr, so that failures reach
/// the caller as ``VectorFormatError``s and warnings as strings.
///
/// GDAL keeps its error state and handler stack per thread, so a session must start and end on
/// one thread, with every handle it uses (datasets are not thread-safe either).
final class GDALSession {
    /// Warnings GDAL raised during the session (such as values truncated to fit a Shapefile).
    private(set) var warnings: [String] = []

    /// Runs `body` with GDAL's messages trapped; the handler is popped however `body` ends.
    /// Throws ``Unavailable`` when libgdal cannot be loaded.
    static func run<T>(_ body: (GDALSession) throws -> T) throws -> (T, warnings: [String]) {
        if let failure = loaded { throw Unavailable(message: failure) }
        let session = GDALSession()
        let box = Unmanaged.passRetained(session)
        // Pushes a handler for this thread only; CPLPopErrorHandler below restores the previous one.
        CPLPushErrorHandlerEx({ level, _, message in
            guard let context = CPLGetErrorHandlerUserData() else { return }
            let session = Unmanaged<GDALSession>.fromOpaque(context).takeUnretainedValue()
            if level == CE_Warning, let message { session.warnings.append(String(cString: message)) }
        }, box.toOpaque())
        defer {
            CPLPopErrorHandler()
            box.release()
        }
        CPLErrorReset()
        return (try body(session), session.warnings)
    }

    /// Nil once libgdal is loaded and every driver registered (GDALAllRegister: calling it
    /// again is harmless but slow), else why it could not be loaded.
    private static let loaded: String? = {
        if let failure = frontline_gdal_load() { return String(cString: failure) }
        GDALAllRegister()
        return nil
    }()

    /// libgdal could not be loaded (not installed, or without a function Frontline calls).
    struct Unavailable: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// GDAL's last error message on this thread, or `fallback` when GDAL gave none.
    func lastError(or fallback: String) -> String {
        // CPLGetLastErrorMsg never returns NULL (an empty string when there is no error).
        let message = String(cString: CPLGetLastErrorMsg())
        return message.isEmpty ? fallback : message
    }

    /// True when GDAL recorded a failure since the last reset.
    var failed: Bool { CPLGetLastErrorType().rawValue >= CE_Failure.rawValue }

    /// Clears the last error before a call whose failure is only reported through it.
    func reset() { CPLErrorReset() }
}
