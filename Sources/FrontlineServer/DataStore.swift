import Foundation
import Logging
import Synchronization

/// Holds the current ``ServedData`` and replaces it, whole, when a data or style file changes.
/// A failed reload keeps the previous version (and logs why, once per change of the files).
public final class DataStore: Sendable {
    private let current: Mutex<ServedData>
    /// The fingerprint of the files whose load last failed: not tried again until they change.
    private let failedVersion = Mutex<String?>(nil)
    private let configuration: ServerConfiguration
    private let logger: Logger

    /// Loads the data once; throws when it cannot be served at all.
    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "frontline.data")) throws {
        self.configuration = configuration
        self.logger = logger
        let version = FilesFingerprint.of([configuration.dataDirectory, configuration.stylesDirectory])
        current = Mutex(try ServedData.load(data: configuration.dataDirectory, styles: configuration.stylesDirectory, version: version))
    }

    /// The data every part of one request must use.
    public var snapshot: ServedData { current.withLock { $0 } }

    /// Reloads when the files changed since the last load; true when a new version is served.
    @discardableResult
    public func reloadIfChanged() -> Bool {
        let version = FilesFingerprint.of([configuration.dataDirectory, configuration.stylesDirectory])
        guard version != snapshot.version, version != failedVersion.withLock({ $0 }) else { return false }
        do {
            // Loaded aside, then swapped in one step.
            let fresh = try ServedData.load(data: configuration.dataDirectory, styles: configuration.stylesDirectory, version: version)
            current.withLock { $0 = fresh }
            logger.info("reloaded data and styles", metadata: ["version": .string(version)])
            return true
        } catch {
            failedVersion.withLock { $0 = version }
            logger.error("reload failed; still serving the previous version", metadata: ["error": .string("\(error)")])
            return false
        }
    }

    /// Checks for changed files every `reloadInterval` until cancelled.
    public func watch() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.reloadInterval)
            // File reads and parsing stay off the caller's executor.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    self.reloadIfChanged()
                    done.resume()
                }
            }
        }
    }
}
