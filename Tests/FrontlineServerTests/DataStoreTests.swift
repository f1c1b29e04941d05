import Foundation
import Logging
import Synchronization
import Testing
@testable import FrontlineServer

/// The data store's reloads as the watch loop drives them: a broken file is reported once per
/// change, not once per reload interval.
@Suite struct DataStoreTests {
    /// Keeps every message logged through it.
    struct RecordingLogHandler: LogHandler {
        let messages: Arc
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            messages.list.withLock { $0.append(event.message.description) }
        }
        final class Arc: Sendable { let list = Mutex<[String]>([]) }
    }

    @Test func aBrokenFileIsTriedAndReportedOncePerChange() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("frontline-failed-reload-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: ServerTests.repository.appendingPathComponent("geodata"), to: folder)
        let messages = RecordingLogHandler.Arc()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(messages: messages) }
        let store = try DataStore(configuration: ServerTests.configuration(data: folder), logger: logger)
        let before = store.snapshot.version
        let metadata = folder.appendingPathComponent("dataset.json")
        let original = try String(contentsOf: metadata, encoding: .utf8)
        func failures() -> Int { messages.list.withLock { $0.filter { $0.hasPrefix("reload failed") }.count } }

        try "{ not json".write(to: metadata, atomically: true, encoding: .utf8)
        for _ in 0..<5 { #expect(store.reloadIfChanged() == false) }
        #expect(failures() == 1, "the same broken files are parsed and reported once")

        try "{ still not json".write(to: metadata, atomically: true, encoding: .utf8)
        for _ in 0..<5 { #expect(store.reloadIfChanged() == false) }
        #expect(failures() == 2, "a new change is tried again")
        #expect(store.snapshot.version == before)

        try original.replacingOccurrences(of: "Nagorno-Karabakh: areas", with: "Karabakh: areas").write(to: metadata, atomically: true, encoding: .utf8)
        #expect(store.reloadIfChanged() == true)
        #expect(store.snapshot.dataset.metadata.title.hasPrefix("Karabakh: areas"))
        #expect(failures() == 2)
    }
}
