import Foundation
import NIOCore
import Synchronization

/// Recordings in a folder on this machine (the default): `recordings/ID/` holds a recording's inputs and
/// everything made from them, `uploads/` the uploads in progress. Workers on the same machine (or sharing the
/// folder over a network file system) read and write the recordings' files in place.
///
/// Every path handed out is built from a validated recording id and a plain file name, and checked to resolve,
/// symlinks followed, inside the storage root, so nothing a request carries can reach a file outside it.
public struct LocalRecordingStorage: RecordingStorage {
    /// The storage root, symlinks resolved.
    public let root: URL

    /// Opens (creating when missing) the storage folder at `path`. Folders it creates are for the service's
    /// user only (0700): they hold people's calls.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        for folder in ["recordings", "uploads"] {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent(folder), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        root = url.resolvingSymlinksInPath()
    }

    public var location: String { root.path }

    public func makeStagingFolder() throws -> URL {
        let folder = root.appendingPathComponent("uploads").appendingPathComponent(RecordingID.random())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The ids of every recording folder, in no particular order.
    public func recordingIDs() -> [String] {
        let recordings = root.appendingPathComponent("recordings")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: recordings.path)) ?? []
        return folders.filter(RecordingID.isValid)
    }

    public func fileNames(of id: String) -> [String] {
        guard let folder = folderURL(of: id) else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter(StoredName.isPlain)
    }

    public func object(_ name: String, of id: String) -> StoredObject? {
        guard let file = existingFile(name, of: id),
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
        else { return nil }
        return StoredObject(
            size: (attributes[.size] as? Int) ?? 0,
            modified: (attributes[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0), localFile: file)
    }

    public func bytes(_ name: String, of id: String, range: ClosedRange<Int>?) throws -> StoredBytes {
        guard let file = existingFile(name, of: id) else { throw CocoaError(.fileNoSuchFile) }
        let reader = try FileChunks(file: file, range: range)
        return StoredBytes(AsyncThrowingStream(unfolding: { try reader.next() }))
    }

    public func data(_ name: String, of id: String) -> Data? {
        existingFile(name, of: id).flatMap { try? Data(contentsOf: $0) }
    }

    public func write(_ data: Data, as name: String, of id: String) throws {
        try data.write(to: try destination(name, of: id), options: .atomic)
    }

    /// Moves `file` into place (copies it when it is on another file system).
    public func store(_ file: URL, as name: String, of id: String) throws {
        let target = try destination(name, of: id)
        if rename(file.path, target.path) == 0 { return }
        try Self.copyWhole(file, to: target)
        try? FileManager.default.removeItem(at: file)
    }

    public func remove(_ name: String, of id: String) throws {
        guard let file = existingFile(name, of: id) else { return }
        try FileManager.default.removeItem(at: file)
    }

    public func fetch(_ name: String, of id: String, to file: URL) throws {
        guard let source = existingFile(name, of: id) else { throw CocoaError(.fileNoSuchFile) }
        try Self.copyWhole(source, to: file)
    }

    /// Copies `source` to a hidden name beside `target`, then renames it over `target`: never seen in part.
    private static func copyWhole(_ source: URL, to target: URL) throws {
        let staging = target.deletingLastPathComponent().appendingPathComponent(
            ".\(target.lastPathComponent).\(RecordingID.random())")
        do {
            try FileManager.default.copyItem(at: source, to: staging)
            guard rename(staging.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Renames the staging folder into place: one rename, which fails when the recording's folder exists.
    public func create(_ id: String, from staging: URL) throws -> Bool {
        guard let folder = folderURL(of: id) else { throw CocoaError(.fileNoSuchFile) }
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
            return true
        } catch {
            try? FileManager.default.removeItem(at: staging)
            guard FileManager.default.fileExists(atPath: folder.path) else { throw error }
            return false
        }
    }

    /// The folder disappears at once by a rename into `uploads/`, then is removed there.
    public func delete(_ id: String) throws {
        guard let folder = folderURL(of: id), FileManager.default.fileExists(atPath: folder.path) else { return }
        let trash = root.appendingPathComponent("uploads").appendingPathComponent("deleted-\(RecordingID.random())")
        try FileManager.default.moveItem(at: folder, to: trash)
        try FileManager.default.removeItem(at: trash)
    }

    public func problem() -> String? {
        FileManager.default.isWritableFile(atPath: root.appendingPathComponent("recordings").path)
            ? nil : "storage not writable"
    }

    /// The key file an earlier version kept in the folder (`.media-signing-key`), so that links it signed still
    /// open once the key lives in the database; nil when there is none.
    public func earlierSigningKey() -> Data? {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(".media-signing-key")), data.count == 32
        else { return nil }
        return data
    }

    /// The folder of recording `id`, or nil when `id` is not a well-formed recording id.
    func folderURL(of id: String) -> URL? {
        guard RecordingID.isValid(id) else { return nil }
        return root.appendingPathComponent("recordings").appendingPathComponent(id, isDirectory: true)
    }

    /// The file `name` inside recording `id`'s folder when it exists there as a regular file and resolves
    /// inside the storage root (a symlink pointing out is refused); nil otherwise.
    func existingFile(_ name: String, of id: String) -> URL? {
        guard let folder = folderURL(of: id), StoredName.isPlain(name) else { return nil }
        let file = folder.appendingPathComponent(name)
        guard contains(file),
            let type = try? FileManager.default.attributesOfItem(atPath: file.path)[.type] as? FileAttributeType,
            type == .typeRegular
        else { return nil }
        return file
    }

    /// Where file `name` of recording `id` is written: inside its folder, which must exist.
    private func destination(_ name: String, of id: String) throws -> URL {
        guard let folder = folderURL(of: id), StoredName.isPlain(name), contains(folder.appendingPathComponent(name))
        else { throw CocoaError(.fileWriteInvalidFileName) }
        return folder.appendingPathComponent(name)
    }

    /// True when `url`, with symlinks resolved, lies inside the storage root.
    private func contains(_ url: URL) -> Bool {
        let resolved = url.resolvingSymlinksInPath().standardizedFileURL.path
        return resolved.hasPrefix(root.standardizedFileURL.path + "/")
    }
}

/// A file's bytes (or a range of them) in 64 KiB chunks, read as they are asked for.
private final class FileChunks: Sendable {
    private let state: Mutex<(handle: FileHandle, remaining: Int)>

    init(file: URL, range: ClosedRange<Int>?) throws {
        let handle = try FileHandle(forReadingFrom: file)
        let size = Int(try handle.seekToEnd())
        let range = range ?? 0...max(0, size - 1)
        try handle.seek(toOffset: UInt64(range.lowerBound))
        state = Mutex((handle, size == 0 ? 0 : range.count))
    }

    func next() throws -> ByteBuffer? {
        try state.withLock { state in
            guard state.remaining > 0,
                let data = try state.handle.read(upToCount: min(65_536, state.remaining)), !data.isEmpty
            else {
                try? state.handle.close()
                return nil
            }
            state.remaining -= data.count
            return ByteBuffer(bytes: data)
        }
    }
}
