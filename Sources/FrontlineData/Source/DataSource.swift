import Foundation

/// Where a dataset is read from: a folder today, a database next. The map source, the server and
/// the commands ask it for the data and never know which store answers.
public protocol DataSource: Sendable {
    /// Where the data is, for messages (a folder's path; never a password).
    var location: String { get }
    /// Changes whenever the data changes; cheap to ask (nothing is parsed), so that a server can
    /// poll it.
    func fingerprint() -> String
    /// Reads and checks the data as it is now. A store that answers the record by query (a
    /// database) leaves it there: the dataset's ``Dataset/queriedRecord`` reads what each
    /// question needs.
    func load() throws -> Dataset
    /// Reads and checks the data as it is now, the whole record included (what `validate` and
    /// `history` look at).
    func loadWhole() throws -> Dataset
    /// Returns when the data may have changed, or after `limit` at most: a server calls it in a
    /// loop, then asks the fingerprint. A folder has nothing to listen to and just waits.
    func waitForChange(upTo limit: Duration)
    /// True while the store cannot be reached (a database that is down): a server keeps
    /// answering from what it holds and says `degraded` on /health.
    var isDegraded: Bool { get }
}

extension DataSource {
    public func loadWhole() throws -> Dataset { try load() }

    public func waitForChange(upTo limit: Duration) {
        Thread.sleep(forTimeInterval: limit.inSeconds)
    }

    public var isDegraded: Bool { false }
}

/// A dataset folder in the layout of the data contract (`dataset.json`, `control/` or
/// `control.geojson`, …).
public struct FolderDataSource: DataSource {
    /// The folder.
    public let directory: URL

    /// The folder at `directory`.
    public init(directory: URL) { self.directory = directory }

    /// The folder's path.
    public var location: String { directory.path }

    /// The names, sizes and modification times of the folder's layer files, and of the
    /// record's `control/record.json`, which every write of the record replaces last.
    public func fingerprint() -> String {
        var hash = FNV1a()
        FileFingerprint.add(folder: directory, to: &hash)
        hash.add(FileFingerprint.identity(RecordLayout(dataset: directory).index.path))
        return hash.hex
    }

    /// ``Dataset/load(from:)``.
    public func load() throws -> Dataset { try Dataset.load(from: directory) }
}

extension Duration {
    /// The duration in seconds, as C and Foundation's waits take it.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
