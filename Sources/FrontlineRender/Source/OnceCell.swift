import Synchronization

/// A value made on first use by whichever thread asks first, while the others asking for it wait
/// (only for it: no lock is shared with other values). A failure is not kept, so the next caller
/// tries again.
final class OnceCell<Value: Sendable>: Sendable {
    private let state = Mutex<Value?>(nil)

    /// Made when absent; the same value afterwards.
    func value(_ make: () throws -> Value) throws -> Value {
        try state.withLock { held in
            if let held { return held }
            let made = try make()
            held = made
            return made
        }
    }
}
