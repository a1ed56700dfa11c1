import AudioTesting
import CallRecordings
import Crypto
import Foundation
import NIOCore
import S3
import Testing

/// One suite, both storages: a local folder and a bucket of the suite's SeaweedFS. What the routes, the command
/// line and the workers rely on holds alike: a recording created whole and only once, small files, media by
/// ranges, large files stored in parts (no open upload left), fetched back byte for byte, deleted to the last file.
@Suite struct RecordingStorageConformanceTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case local, s3
        var testDescription: String { rawValue }
    }

    /// A fresh, empty storage of `kind`.
    static func storage(_ kind: Kind) throws -> any RecordingStorage {
        let scratch = try Fixtures.scratchFolder("callaudio-storage")
        switch kind {
        case .local:
            return try LocalRecordingStorage(path: scratch.appendingPathComponent("storage").path)
        case .s3:
            return try S3RecordingStorage(
                client: try bucketClient(),
                place: try S3Location(bucket: SeaweedFSTestServer.bucket, prefix: "t-\(RecordingID.random())"),
                workFolder: scratch.appendingPathComponent("work"))
        }
    }

    static func bucketClient() throws -> S3Client {
        S3Client(
            bucket: SeaweedFSTestServer.bucket,
            configuration: try S3Configuration(environment: try SeaweedFSTestServer.environment()))
    }

    /// A staging folder holding `recording.json` for `id` and the `files` given.
    static func staged(_ storage: any RecordingStorage, id: String, files: [String: Data]) throws -> URL {
        let staging = try storage.makeStagingFolder()
        let metadata =
            #"{"id": "\#(id)", "kind": "call", "media_nonce": "n", "transcribe": false, "created_at": "2026-12-06T18:00:00Z"}"#
        try Data(metadata.utf8).write(to: staging.appendingPathComponent(RecordingMetadata.fileName))
        for (name, data) in files { try data.write(to: staging.appendingPathComponent(name)) }
        return staging
    }

    static func bytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func collect(_ bytes: StoredBytes) async throws -> Data {
        var data = Data()
        for try await chunk in bytes { data.append(contentsOf: chunk.readableBytesView) }
        return data
    }

    @Test(arguments: Kind.allCases)
    func aRecordingIsCreatedOnceWholeAndReadBack(kind: Kind) async throws {
        let storage = try Self.storage(kind)
        let id = RecordingID.random()
        let leg = Self.bytes(70_001)
        #expect(try await storage.create(id, from: try Self.staged(storage, id: id, files: ["leg1.wav": leg])))
        // A second upload of the same call finds the recording and changes nothing.
        let again = try Self.staged(storage, id: id, files: ["leg1.wav": Self.bytes(10)])
        #expect(try await !storage.create(id, from: again))
        #expect(!FileManager.default.fileExists(atPath: again.path), "the staging folder is used up")
        #expect(try await storage.data("leg1.wav", of: id) == leg)
        #expect(try await storage.metadata(of: id)?.id == id)
        #expect(try await storage.fileNames(of: id).sorted() == ["leg1.wav", "recording.json"])

        let object = try #require(try await storage.object("leg1.wav", of: id))
        #expect(object.size == leg.count)
        #expect(try await Self.collect(storage.bytes("leg1.wav", of: id, range: nil)) == leg)
        #expect(
            try await Self.collect(storage.bytes("leg1.wav", of: id, range: 65_530...65_545)) == leg[65_530...65_545])
        #expect(try await storage.object("call.mp3", of: id) == nil)
        #expect(try await storage.data("call.mp3", of: id) == nil)
        #expect(try await storage.object("../recording.json", of: id) == nil)
        #expect(try await storage.metadata(of: "not-an-id") == nil)
        #expect(await storage.problem() == nil)
    }

    @Test(arguments: Kind.allCases)
    func filesAreWrittenStoredFetchedAndRemoved(kind: Kind) async throws {
        let storage = try Self.storage(kind)
        let id = RecordingID.random()
        #expect(try await storage.create(id, from: try Self.staged(storage, id: id, files: [:])))
        try await storage.write(Data("{\"a\":1}".utf8), as: "call.json", of: id)
        try await storage.write(Data("{\"a\":2}".utf8), as: "call.json", of: id)
        #expect(try await storage.data("call.json", of: id) == Data("{\"a\":2}".utf8))

        // 20 MiB: stored in parts in a bucket; read back whole and by a range across a part boundary.
        let large = Self.bytes(20 << 20 + 123)
        let scratch = try Fixtures.scratchFolder("callaudio-storage-files")
        let file = scratch.appendingPathComponent("call.mp3")
        try large.write(to: file)
        try await storage.store(file, as: "call.mp3", of: id)
        #expect(!FileManager.default.fileExists(atPath: file.path), "the stored file is used up")
        #expect(try await storage.object("call.mp3", of: id)?.size == large.count)
        let boundary = (8 << 20) - 10...(8 << 20) + 10
        #expect(try await Self.collect(storage.bytes("call.mp3", of: id, range: boundary)) == large[boundary])
        let fetched = scratch.appendingPathComponent("fetched.mp3")
        try await storage.fetch("call.mp3", of: id, to: fetched)
        #expect(SHA256.hash(data: try Data(contentsOf: fetched)) == SHA256.hash(data: large))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["fetched.mp3"])
        if kind == .s3 {
            #expect(try await Self.bucketClient().listMultipartUploads(prefix: "").isEmpty, "an upload left open")
        }

        try await storage.remove("call.json", of: id)
        try await storage.remove("call.json", of: id)
        #expect(try await storage.object("call.json", of: id) == nil)
        try await storage.delete(id)
        #expect(try await storage.fileNames(of: id).isEmpty)
        #expect(try await storage.metadata(of: id) == nil)
    }

    @Test(arguments: Kind.allCases)
    func recipesNameARecordingsFilesUnderTheStoragesLocation(kind: Kind) throws {
        let storage = try Self.storage(kind)
        let id = RecordingID.random()
        let folder = try #require(storage.folder(of: id))
        #expect(folder == "\(storage.location)/recordings/\(id)")
        #expect(storage.recordingID(ofFolder: folder) == id)
        #expect(storage.recordingID(ofFolder: "/elsewhere/recordings/\(id)") == nil)
        #expect(storage.folder(of: "../x") == nil)
    }
}
