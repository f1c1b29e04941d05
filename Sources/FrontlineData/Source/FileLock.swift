import Foundation

/// An exclusive `flock(2)` on a lock file, held until the object goes or ``unlock()``; the system
/// releases it however the process ends. One writer of a file or folder at a time.
public final class FileLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Why a lock was not taken.
    public enum Failure: Error, Sendable {
        /// Another process holds it (after waiting, when asked to).
        case held
        /// The lock file cannot be opened or locked; the system's error number.
        case system(Int32)
    }

    /// Takes the lock on `path` (created when missing), retrying for up to `wait` seconds while
    /// another process holds it.
    public init(path: String, wait: Double = 0) throws(Failure) {
        self.path = path
        // open(2) returns a descriptor or -1; flock(2) returns 0, or -1 with EWOULDBLOCK when held.
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system(errno) }
        let deadline = Date().addingTimeInterval(wait)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR, reason == EINTR || Date() < deadline else {
                close(descriptor)
                throw reason == EWOULDBLOCK ? .held : .system(reason)
            }
            if reason == EWOULDBLOCK { usleep(50_000) }
        }
    }

    /// Lets the next process take the lock now, before this object goes.
    public func unlock() { _ = flock(descriptor, LOCK_UN) }

    deinit { close(descriptor) }
}
