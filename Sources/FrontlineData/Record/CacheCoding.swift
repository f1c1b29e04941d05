import Foundation

/// The fields of the record's binary caches (`control/.cache`): a magic line, the key line (the
/// hash of the `record.json` the cache belongs to), then little-endian counts and length-prefixed
/// blobs. Derived data in a private format: never edited, diffed or committed to git.
struct CacheWriter {
    private(set) var bytes: [UInt8]

    init(magic: [UInt8], key: String) { bytes = magic + Array((key + "\n").utf8) }

    mutating func count(_ n: Int) { withUnsafeBytes(of: UInt32(n).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func number(_ n: Int64) { withUnsafeBytes(of: n.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func blob<C: Collection<UInt8>>(_ b: C) { count(b.count); bytes += b }
    mutating func text(_ s: String) { blob(Array(s.utf8)) }
    /// A text that may be absent: a flag byte, then the text.
    mutating func optionalText(_ s: String?) {
        bytes.append(s == nil ? 0 : 1)
        if let s { text(s) }
    }
}

/// Reads what ``CacheWriter`` wrote; every read is nil past the end or on a bad value.
struct CacheReader {
    let file: Data
    private var at: Int

    /// A reader after the magic and key lines; nil when they are not `magic` and `key`.
    init?(_ file: Data, magic: [UInt8], key: String) {
        self.file = file
        at = file.startIndex
        guard let head = take(magic.count), file[head].elementsEqual(magic),
              let line = take(key.utf8.count + 1), file[line].elementsEqual((key + "\n").utf8) else { return nil }
    }

    /// True when everything was read.
    var isAtEnd: Bool { at == file.endIndex }

    mutating func take(_ n: Int) -> Range<Int>? {
        guard n >= 0, at + n <= file.endIndex else { return nil }
        defer { at += n }
        return at..<(at + n)
    }

    mutating func count() -> Int? {
        take(4).map { r in Int(file[r].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }
    }

    mutating func number() -> Int64? {
        take(8).map { r in Int64(bitPattern: file[r].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
    }

    mutating func blob() -> Range<Int>? { count().flatMap { take($0) } }

    mutating func text() -> String? { blob().map { String(decoding: file[$0], as: UTF8.self) } }

    /// `.some(nil)` for an absent text, nil when the bytes are bad.
    mutating func optionalText() -> String?? {
        guard let flag = take(1).map({ file[$0.lowerBound] }), flag <= 1 else { return nil }
        if flag == 0 { return .some(nil) }
        return text().map { .some($0) }
    }
}

/// What tells that a file is the one read before without reading it again, as git's index
/// does: its size, inode, and modification and change times (a rename or an edit changes them).
struct FileStamp: Equatable, Sendable {
    var size: Int64
    var inode: Int64
    var modified: Int64
    var changed: Int64

    init(_ s: stat) {
        size = Int64(s.st_size)
        inode = Int64(bitPattern: UInt64(s.st_ino))
        modified = Int64(s.st_mtim.tv_sec) * 1_000_000_000 + Int64(s.st_mtim.tv_nsec)
        changed = Int64(s.st_ctim.tv_sec) * 1_000_000_000 + Int64(s.st_ctim.tv_nsec)
    }

    init(size: Int64, inode: Int64, modified: Int64, changed: Int64) {
        self.size = size
        self.inode = inode
        self.modified = modified
        self.changed = changed
    }

    /// Nanoseconds since 1970 on the clock file times are taken from.
    static var now: Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    /// True when the file's times are older than `time` by more than a tick of the coarse clock
    /// the kernel stamps files with: a later edit then changes them, even one that keeps the size
    /// and the inode. (A file written moments before it was read may be edited again within the
    /// same tick: git calls this "racily clean".)
    func isSettled(before time: Int64) -> Bool { max(modified, changed) < time - 100_000_000 }

    /// The stamp of the file at `path` now; nil when it cannot be stat'ed.
    static func of(_ path: String) -> FileStamp? {
        var s = stat()
        return stat(path, &s) == 0 ? FileStamp(s) : nil
    }

    /// The bytes of the file at `path` and the stamp of the very file they came from (fstat(2) of
    /// the descriptor read, so that a file replaced meanwhile cannot be stamped for bytes it does
    /// not hold); nil when it cannot be read.
    static func read(_ path: String) -> (bytes: [UInt8], stamp: FileStamp)? {
        // open(2) gives -1 on failure; fstat(2) 0 on success; read(2) the count read, 0 at the end, -1 on error.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: max(0, Int(s.st_size)))
        var done = 0
        while true {
            if done == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count))) }
            let n = bytes[done...].withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue } else { return nil } }
            if n == 0 { break }
            done += n
        }
        bytes.removeSubrange(done...)
        return (bytes, FileStamp(s))
    }
}
