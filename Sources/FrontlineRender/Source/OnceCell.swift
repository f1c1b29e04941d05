import Synchronization

/// A value made on first use by whichever thread asks first, while the others asking for it wait
/// (only for it: no lock is shared with other values). A failure is kept like a value, so that
/// the callers waiting for it share the first caller's error instead of each trying again; cells
/// belong to one data version, whose answers do not change.
final class OnceCell<Value: Sendable>: Sendable {
    private let state = Mutex<Result<Value, any Error>?>(nil)

    /// Made when absent; the same value (or error) afterwards.
    func value(_ make: () throws -> Value) throws -> Value {
        try state.withLock { held in
            if let held { return try held.get() }
            let made = Result { try make() }
            held = made
            return try made.get()
        }
    }
}
