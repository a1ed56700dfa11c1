import Foundation
import NIOCore

/// Where recordings' files live: a local folder (`LocalRecordingStorage`) or an S3-compatible bucket
/// (`S3RecordingStorage`). A recording's files are `recordings/ID/NAME` under the storage's root, the same names
/// in both (`recording.json`, `leg1.wav`, `call.mp3`, `call.json`, `call.waveform.json`, transcripts, speed copies).
///
/// The routes, the command line and the workers reach files only through this protocol, so that API nodes and
/// workers with nothing shared on disk see the same recordings. `RecordingStorageConformanceTests` runs one suite
/// on both.
public protocol RecordingStorage: Sendable {
    /// How job recipes name this storage's files: a recording's folder is `folder(of:)`, under this root (the
    /// folder's absolute path, or `s3://BUCKET/PREFIX`).
    var location: String { get }

    /// A fresh, empty folder on this machine for an upload in progress (hidden from every recording route); the
    /// caller removes it, or hands it to `create(_:from:)`.
    func makeStagingFolder() throws -> URL

    /// The names of recording `id`'s files, hidden ones left out; empty when it has none.
    func fileNames(of id: String) async throws -> [String]

    /// What is known of file `name` of recording `id` without reading it; nil when it does not exist.
    func object(_ name: String, of id: String) async throws -> StoredObject?

    /// The bytes of file `name` of recording `id` (all of them, or `range`), in chunks as they arrive: never the
    /// whole file in memory. Throws when the file does not exist.
    func bytes(_ name: String, of id: String, range: ClosedRange<Int>?) async throws -> StoredBytes

    /// A small file (metadata, reports, transcripts) whole; nil when it does not exist.
    func data(_ name: String, of id: String) async throws -> Data?

    /// Writes a small file whole, replacing any there; readers see the old or the new file, never a part.
    func write(_ data: Data, as name: String, of id: String) async throws

    /// Stores the local `file` as file `name` of recording `id`, replacing any there; visible only when whole.
    func store(_ file: URL, as name: String, of id: String) async throws

    /// Removes file `name` of recording `id`; nothing happens when there is none.
    func remove(_ name: String, of id: String) async throws

    /// Copies file `name` of recording `id` to the local `file`, written under a hidden name and renamed when
    /// whole.
    func fetch(_ name: String, of id: String, to file: URL) async throws

    /// Makes the files of `staging` (from `makeStagingFolder()`) recording `id`, unless recording `id` exists
    /// already: a recording's `recording.json` is among them, written first in a bucket, where it marks the
    /// recording as existing; a prompt's folder has none (its id is random). The staging folder is used up
    /// either way.
    /// - Returns: false when the recording existed, and nothing was changed.
    func create(_ id: String, from staging: URL) async throws -> Bool

    /// Removes every file of recording `id`; throws unless none is left.
    func delete(_ id: String) async throws

    /// Nil when files can be written; else what is wrong, for `/readyz`.
    func problem() async -> String?
}

/// A stored file's size, time and tag, as media responses need them.
public struct StoredObject: Sendable {
    public var size: Int
    public var modified: Date
    /// The store's strong validator for the bytes (S3's `ETag`), quoted; nil for a local file, whose content hash
    /// the service computes.
    public var etag: String?
    /// The file on this machine when the storage is a local folder: served straight from disk.
    public var localFile: URL?

    public init(size: Int, modified: Date, etag: String? = nil, localFile: URL? = nil) {
        self.size = size
        self.modified = modified
        self.etag = etag
        self.localFile = localFile
    }
}

/// A stored file's bytes as they arrive, read only as fast as they are consumed (a slow client holds one chunk in
/// memory, not the file), whichever storage they come from.
public struct StoredBytes: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    private let iterator: @Sendable () -> AsyncIterator

    /// The bytes `chunks` yields.
    public init<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks) where Chunks.Element == ByteBuffer {
        iterator = {
            var chunk = chunks.makeAsyncIterator()
            return AsyncIterator { try await chunk.next() }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { iterator() }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextChunk: () async throws -> ByteBuffer?

        public mutating func next() async throws -> ByteBuffer? { try await nextChunk() }
    }
}

extension RecordingStorage {
    /// The folder of recording `id` as job recipes name it, or nil when `id` is not a well-formed recording id.
    public func folder(of id: String) -> String? {
        RecordingID.isValid(id) ? "\(location)/recordings/\(id)" : nil
    }

    /// The recording whose folder is `path` (as `folder(of:)` names it); nil for a path outside this storage.
    public func recordingID(ofFolder path: String) -> String? {
        let prefix = "\(location)/recordings/"
        guard path.hasPrefix(prefix) else { return nil }
        let id = String(path.dropFirst(prefix.count))
        return RecordingID.isValid(id) ? id : nil
    }

    /// Recording `id`'s `recording.json`; nil when it has none or it cannot be read.
    public func metadata(of id: String) async throws -> RecordingMetadata? {
        guard RecordingID.isValid(id), let data = try await data(RecordingMetadata.fileName, of: id) else { return nil }
        return RecordingMetadata(json: data)
    }

    /// Writes `metadata` as its recording's `recording.json`.
    public func write(_ metadata: RecordingMetadata) async throws {
        try await write(try metadata.json(), as: RecordingMetadata.fileName, of: metadata.id)
    }
}

/// Recording ids: 24 lowercase hex digits, keyed from the platform's call id (`MediaSigner.recordingID`) so
/// that a repeat submission names the same recording, or random when the platform gives none.
public enum RecordingID {
    public static func random() -> String {
        (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    public static func isValid(_ id: String) -> Bool {
        id.count == 24 && id.allSatisfy { $0.isHexDigit && ($0.isNumber || $0.isLowercase) }
    }
}

/// File names a request may name: a single path component with no separators, no `..` and no hidden prefix.
public enum StoredName {
    public static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.hasPrefix(".") && !name.contains("\0")
    }
}
