import Foundation
import NIOCore
import S3

/// Recordings in an S3-compatible bucket: recording `ID`'s files are the objects `PREFIX/recordings/ID/NAME`,
/// the same names as in a local folder. API nodes serve media by ranged reads of just the bytes asked for;
/// workers fetch inputs to a private folder and store their outputs (`StoredJobRunner`). Nothing is kept on this
/// machine's disk but uploads in progress and renders, in `workFolder`, each removed when done.
public struct S3RecordingStorage: RecordingStorage {
    let client: S3Client
    let place: S3Location
    /// This machine's own folder for uploads in progress and renders (never shared).
    public let workFolder: URL

    /// The storage at `place`, reached with `client`; `workFolder` is created (for the service's user only) when
    /// missing.
    public init(client: S3Client, place: S3Location, workFolder: URL) throws {
        self.client = client
        self.place = place
        self.workFolder = workFolder
        try FileManager.default.createDirectory(
            at: workFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// `s3://BUCKET/PREFIX`, no trailing slash.
    public var location: String {
        let text = place.description
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    public func makeStagingFolder() throws -> URL {
        let folder = workFolder.appendingPathComponent("uploads").appendingPathComponent(RecordingID.random())
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    public func fileNames(of id: String) async throws -> [String] {
        guard let prefix = folderKey(of: id) else { return [] }
        return try await client.listAll(prefix: prefix).map { String($0.key.dropFirst(prefix.count)) }
            .filter(StoredName.isPlain)
    }

    public func object(_ name: String, of id: String) async throws -> StoredObject? {
        guard let key = key(name, of: id), let info = try await client.head(key: key) else { return nil }
        return StoredObject(
            size: info.size, modified: info.lastModified ?? Date(timeIntervalSince1970: 0), etag: info.etag)
    }

    public func bytes(_ name: String, of id: String, range: ClosedRange<Int>?) async throws -> StoredBytes {
        guard let key = key(name, of: id), let object = try await client.get(key: key, range: range) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return StoredBytes(object.body)
    }

    public func data(_ name: String, of id: String) async throws -> Data? {
        guard let key = key(name, of: id) else { return nil }
        return try await client.data(key: key)
    }

    public func write(_ data: Data, as name: String, of id: String) async throws {
        try await client.putObject(key: try requireKey(name, of: id), data: data, contentType: Self.contentType(name))
    }

    /// Uploads `file` (in parts past 8 MiB, an upload that fails aborted), then removes it.
    public func store(_ file: URL, as name: String, of id: String) async throws {
        try await client.uploadFile(
            key: try requireKey(name, of: id), from: file.path, contentType: Self.contentType(name))
        try? FileManager.default.removeItem(at: file)
    }

    public func remove(_ name: String, of id: String) async throws {
        try await client.delete(key: try requireKey(name, of: id))
    }

    public func fetch(_ name: String, of id: String, to file: URL) async throws {
        guard try await client.download(key: try requireKey(name, of: id), to: file.path) != nil else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
    }

    /// Writes `recording.json` first, only if it does not exist (`If-None-Match: *`): exactly one of two uploads
    /// of the same call wins. Then the other files; a failure there removes what was written.
    public func create(_ id: String, from staging: URL) async throws -> Bool {
        defer { try? FileManager.default.removeItem(at: staging) }
        let marker = staging.appendingPathComponent(RecordingMetadata.fileName)
        if FileManager.default.fileExists(atPath: marker.path) {
            do {
                try await client.putObject(
                    key: try requireKey(RecordingMetadata.fileName, of: id), data: try Data(contentsOf: marker),
                    contentType: "application/json", ifNoneMatch: "*")
            } catch let error as S3Error where error.status == 412 {
                return false
            }
        }
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: staging.path)
            for name in names where name != RecordingMetadata.fileName && StoredName.isPlain(name) {
                try await store(staging.appendingPathComponent(name), as: name, of: id)
            }
        } catch {
            try? await delete(id)
            throw error
        }
        return true
    }

    public func delete(_ id: String) async throws {
        guard let prefix = folderKey(of: id) else { return }
        try await client.deletePrefix(prefix)
    }

    public func problem() async -> String? {
        do {
            _ = try await client.list(prefix: place.key("recordings/"), maxKeys: 1)
            return nil
        } catch {
            return "storage unreachable (\(location))"
        }
    }

    /// `PREFIX/recordings/ID/`, or nil for an id that is not well formed.
    private func folderKey(of id: String) -> String? {
        RecordingID.isValid(id) ? place.key("recordings/\(id)/") : nil
    }

    private func key(_ name: String, of id: String) -> String? {
        guard StoredName.isPlain(name), let folder = folderKey(of: id) else { return nil }
        return folder + name
    }

    private func requireKey(_ name: String, of id: String) throws -> String {
        guard let key = key(name, of: id) else { throw CocoaError(.fileWriteInvalidFileName) }
        return key
    }

    /// The media type an object is stored with, by its name's extension.
    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "mp3": "audio/mpeg"
        case "wav": "audio/wav"
        case "json": "application/json"
        case "vtt": "text/vtt; charset=utf-8"
        case "srt": "application/x-subrip; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
