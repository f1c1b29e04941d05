import CGEOS

/// A GEOS context: the one place where GEOS is initialised, and where its error and notice
/// messages arrive. Not `Sendable`: create one per thread (or per task) and keep every
/// ``OwnedGeometry`` made in it on that thread.
public final class GeometryContext {
    let handle: GEOSContextHandle_t
    /// The last error GEOS reported in this context, cleared before each call that can fail.
    var lastError: String?
    /// Notices (warnings) GEOS reported since they were last read.
    public private(set) var notices: [String] = []

    /// Initialises a GEOS context with its message handlers.
    public init() throws {
        // GEOS_init_r returns NULL only when out of memory.
        guard let handle = GEOS_init_r() else {
            throw GeometryError(.geos, operation: "GEOS_init_r", message: "cannot create a GEOS context")
        }
        self.handle = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        // C callbacks cannot capture: the context reaches the handler as user data.
        _ = GEOSContext_setErrorMessageHandler_r(handle, { message, user in
            guard let message, let user else { return }
            Unmanaged<GeometryContext>.fromOpaque(user).takeUnretainedValue().lastError = String(cString: message)
        }, me)
        _ = GEOSContext_setNoticeMessageHandler_r(handle, { message, user in
            guard let message, let user else { return }
            Unmanaged<GeometryContext>.fromOpaque(user).takeUnretainedValue().notices.append(String(cString: message))
        }, me)
    }

    deinit { GEOS_finish_r(handle) }

    /// Runs a GEOS call that returns a new geometry (NULL on error) and takes ownership of it.
    func owned(_ operation: String, _ call: () -> OpaquePointer?) throws -> OwnedGeometry {
        lastError = nil
        guard let pointer = call() else { throw failure(operation) }
        return OwnedGeometry(pointer, in: self)
    }

    /// Runs a GEOS predicate (returns 1 true, 0 false, 2 on exception).
    func predicate(_ operation: String, _ call: () -> CChar) throws -> Bool {
        lastError = nil
        switch call() {
        case 1: return true
        case 0: return false
        default: throw failure(operation)
        }
    }

    /// The error for a failed call, with GEOS's message when it gave one.
    func failure(_ operation: String) -> GeometryError {
        GeometryError(.geos, operation: operation, message: lastError ?? "GEOS reported failure without a message")
    }

    /// Returns and clears the notices collected so far.
    public func takeNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }
}
