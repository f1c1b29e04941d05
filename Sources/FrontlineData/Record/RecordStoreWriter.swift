import Foundation
import FrontlineGeometry

/// Where an edit of the record (`import`, `record`) is committed: a dataset folder
/// (``RecordWriter``) or a database (`DatabaseRecordWriter` in FrontlineStore). The edit itself
/// is computed the same way for both, from the dataset ``loadForEditing()`` gives.
public protocol RecordStoreWriter: AnyObject {
    /// Where the record is, for messages (a database without its password).
    var location: String { get }

    /// The dataset the edit starts from; one with no control yet loads too (a first import).
    func loadForEditing() throws -> Dataset

    /// Commits `record`, an edit of `previous` (the record ``loadForEditing()`` gave) that looked
    /// only at `ground` (nil: at all of the map). Returns the commit, nil when nothing differed.
    func commit(_ record: ControlRecord, previous: ControlRecord?, ground: [Geometry]?) throws -> RecordCommit?
}

extension RecordWriter: RecordStoreWriter {
    /// The dataset folder.
    public var location: String { layout.dataset.path }

    /// The folder's dataset, read under this writer's lock.
    public func loadForEditing() throws -> Dataset { try Dataset.load(from: layout.dataset, requireControl: false) }

    /// Commits `record` (``commit(_:previous:)``); the lock, held since this writer was made,
    /// keeps other writers out, so `ground` is not needed.
    public func commit(_ record: ControlRecord, previous: ControlRecord?, ground: [Geometry]?) throws -> RecordCommit? {
        try commit(record, previous: previous) ? RecordCommit(record: record) : nil
    }
}
