import AudioTesting
import Foundation
import NIOCore
import Testing

@testable import S3

/// The client against the real peer: SeaweedFS (`weed mini`, tools/seaweedfs), started once for the suite.
@Suite struct S3ClientTests {
    static let oddKeys = [
        "plain.txt", "with space.txt", "plus+sign.txt", "ünïcødé/日本語 ☎.txt", "tilde~percent%20.txt",
        "quote'\"<&>.txt", "query?hash#=amp&semi;comma,.txt", "(paren)[bracket]{brace}!$*@.txt",
    ]

    @Test func putHeadGetAndListRoundTripMetadataAndOddKeys() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        for (index, name) in Self.oddKeys.enumerated() {
            let key = prefix + name
            let bytes = TestStorage.bytes(1000 + index, seed: UInt64(index + 1))
            let etag = try await client.putObject(
                key: key, data: Data(bytes), contentType: "audio/mpeg", metadata: ["Call-ID": "call \(index)"])
            #expect(etag == "\"\(TestStorage.md5(bytes))\"", "\(key)")
            let info = try #require(try await client.head(key: key), "\(key)")
            #expect(info.size == bytes.count)
            #expect(info.etag == etag)
            #expect(info.contentType == "audio/mpeg")
            #expect(info.metadata == ["call-id": "call \(index)"])
            #expect(info.lastModified.map { abs($0.timeIntervalSinceNow) < 600 } == true)
            #expect(try await client.data(key: key) == Data(bytes), "\(key)")
            let stream = try #require(try await client.get(key: key))
            #expect(stream.info == info)
            #expect(stream.range == 0...(bytes.count - 1))
            #expect(try await stream.bytes() == bytes)
        }
        let listed = try await client.listAll(prefix: prefix)
        #expect(listed.map(\.key).sorted() == Self.oddKeys.map { prefix + $0 }.sorted())
        #expect(listed.first { $0.key == prefix + "plain.txt" }?.size == 1000)
        try await client.deletePrefix(prefix)
    }

    @Test func createOnlyRefusesAnExistingKey() async throws {
        let client = try TestStorage.client()
        let key = TestStorage.prefix() + "once.json"
        try await client.putObject(key: key, data: Data("first".utf8), ifNoneMatch: "*")
        await #expect {
            try await client.putObject(key: key, data: Data("second".utf8), ifNoneMatch: "*")
        } throws: { error in
            (error as? S3Error)?.status == 412
        }
        #expect(try await client.data(key: key) == Data("first".utf8))
        try await client.delete(key: key)
    }

    @Test func rangedGetIsByteExact() async throws {
        let client = try TestStorage.client()
        let key = TestStorage.prefix() + "ranged.bin"
        let bytes = TestStorage.bytes(300_000)
        try await client.putObject(key: key, data: Data(bytes))
        for range in [1000...1999, 0...0, 299_000...299_999, 123_456...200_000] {
            let stream = try #require(try await client.get(key: key, range: range))
            #expect(stream.info.size == 300_000)
            #expect(stream.range == range)
            #expect(try await stream.bytes() == Array(bytes[range]), "\(range)")
        }
        // A range that runs past the end is cut at the end, as HTTP says.
        let tail = try #require(try await client.get(key: key, range: 299_990...400_000))
        #expect(tail.range == 299_990...299_999)
        #expect(try await tail.bytes() == Array(bytes[299_990...]))
        await #expect {
            _ = try await client.get(key: key, range: 300_000...300_010)
        } throws: { error in
            (error as? S3Error)?.status == 416
        }
        try await client.delete(key: key)
    }

    @Test func aLargeFileGoesMultipartAndComesBackWhole() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        let key = prefix + "call.mp3"
        try await withScratchFolder { folder async throws in
            let source = folder.appendingPathComponent("call.mp3")
            let bytes = TestStorage.bytes(20 << 20)
            try Data(bytes).write(to: source)
            let etag = try #require(try await client.uploadFile(key: key, from: source.path, contentType: "audio/mpeg"))
            #expect(etag.hasSuffix("-3\""), "\(etag)")
            #expect(try await client.listMultipartUploads(prefix: prefix).isEmpty)
            let info = try #require(try await client.head(key: key))
            #expect(info.size == 20 << 20)
            #expect(info.contentType == "audio/mpeg")

            // Across the boundary of parts 1 and 2.
            let boundary = 8 << 20
            let across = try #require(try await client.get(key: key, range: (boundary - 100)...(boundary + 99)))
            #expect(try await across.bytes() == Array(bytes[(boundary - 100)...(boundary + 99)]))

            let copy = folder.appendingPathComponent("copy.mp3")
            let downloaded = try #require(try await client.download(key: key, to: copy.path))
            #expect(downloaded.size == 20 << 20)
            #expect(TestStorage.sha256(try Data(contentsOf: copy)) == TestStorage.sha256(bytes))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["call.mp3", "copy.mp3"])
        }
        try await client.deletePrefix(prefix)
    }

    @Test func aSmallFileGoesInOnePut() async throws {
        let client = try TestStorage.client()
        let key = TestStorage.prefix() + "small.json"
        try await withScratchFolder { folder async throws in
            let source = folder.appendingPathComponent("small.json")
            let bytes = TestStorage.bytes(5000)
            try Data(bytes).write(to: source)
            let etag = try await client.uploadFile(key: key, from: source.path, contentType: "application/json")
            #expect(etag == "\"\(TestStorage.md5(bytes))\"")
        }
        try await client.delete(key: key)
    }

    struct InjectedFailure: Error {}

    /// One 5 MiB part, then `end`: a failure, or the task cancelled under it.
    struct PartThenTrouble: AsyncSequence, AsyncIteratorProtocol {
        enum Trouble { case failure, cancellation }
        var trouble: Trouble
        var sent = 0

        mutating func next() async throws -> ByteBuffer? {
            sent += 1
            guard sent > 1 else { return ByteBuffer(bytes: TestStorage.bytes(5 << 20)) }
            switch trouble {
            case .failure:
                throw InjectedFailure()
            case .cancellation:
                withUnsafeCurrentTask { $0?.cancel() }
                return ByteBuffer(bytes: [1, 2, 3])
            }
        }

        func makeAsyncIterator() -> Self { self }
    }

    @Test(arguments: [PartThenTrouble.Trouble.failure, .cancellation])
    func aFailedUploadIsAbortedAndLeavesNothing(_ trouble: PartThenTrouble.Trouble) async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        let key = prefix + "call.mp3"
        let upload = Task {
            try await client.uploadMultipart(key: key, parts: PartThenTrouble(trouble: trouble))
        }
        let result = await upload.result
        switch trouble {
        case .failure: #expect(throws: InjectedFailure.self) { try result.get() }
        case .cancellation: #expect(throws: CancellationError.self) { try result.get() }
        }
        #expect(try await client.listMultipartUploads(prefix: prefix).isEmpty)
        #expect(try await client.head(key: key) == nil)
        #expect(try await client.listAll(prefix: prefix).isEmpty)
    }

    @Test func partsTooSmallAreRefusedAtCompleteAndAborted() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        let key = prefix + "tiny-parts.bin"
        let parts = [ByteBuffer(bytes: [1, 2, 3]), ByteBuffer(bytes: [4, 5, 6])].async
        await #expect {
            try await client.uploadMultipart(key: key, parts: parts)
        } throws: { error in
            (error as? S3Error)?.code == "EntityTooSmall"
        }
        #expect(try await client.listMultipartUploads(prefix: prefix).isEmpty)
        #expect(try await client.head(key: key) == nil)
    }

    @Test func deletePrefixEmptiesItOverSeveralBatches() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        let keys = (0..<25).map { "\(prefix)recordings/\($0 % 3)/object \($0).txt" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys { group.addTask { try await client.putObject(key: key, data: Data(key.utf8)) } }
            try await group.waitForAll()
        }
        let other = TestStorage.prefix() + "kept.txt"
        try await client.putObject(key: other, data: Data("kept".utf8))

        let page = try await client.list(prefix: prefix + "recordings/", delimiter: "/")
        #expect(page.commonPrefixes == (0..<3).map { "\(prefix)recordings/\($0)/" })
        #expect(page.objects.isEmpty)
        var token: String?
        var paged: [String] = []
        repeat {
            let page = try await client.list(prefix: prefix, continuationToken: token, maxKeys: 10)
            #expect(page.objects.count <= 10)
            paged += page.objects.map(\.key)
            token = page.nextContinuationToken
        } while token != nil
        #expect(paged == keys.sorted())

        #expect(try await client.deletePrefix(prefix, batchSize: 10) == 25)
        #expect(try await client.listAll(prefix: prefix).isEmpty)
        #expect(try await client.data(key: other) == Data("kept".utf8))
        try await client.delete(key: other)
    }

    @Test func deleteObjectsCountsAMissingKeyAsDeleted() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        try await client.putObject(key: prefix + "a", data: Data("a".utf8))
        #expect(try await client.deleteObjects(keys: [prefix + "a", prefix + "never there"]) == [])
        #expect(try await client.head(key: prefix + "a") == nil)
    }

    @Test func aMissingKeyIsNil() async throws {
        let client = try TestStorage.client()
        let key = TestStorage.prefix() + "missing.mp3"
        #expect(try await client.head(key: key) == nil)
        #expect(try await client.get(key: key) == nil)
        #expect(try await client.data(key: key) == nil)
        try await withScratchFolder { folder async throws in
            let path = folder.appendingPathComponent("missing.mp3").path
            #expect(try await client.download(key: key, to: path) == nil)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
        try await client.delete(key: key)
    }

    @Test func aWrongSecretIsRefusedAndNeverShown() async throws {
        let wrong = "wrong-Secret-0123456789"
        let client = try TestStorage.client(secret: wrong)
        let error = try await #require(throws: S3Error.self) {
            try await client.putObject(key: TestStorage.prefix() + "x", data: Data("x".utf8))
        }
        #expect(error.status == 403)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.operation == "PutObject")
        for text in ["\(error)", String(reflecting: error)] {
            #expect(!text.contains(wrong) && !text.contains(SeaweedFSTestServer.secretAccessKey), "\(text)")
            #expect(text.contains("403") && text.contains("SignatureDoesNotMatch"))
        }
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}

/// The listing the abort tests rely on: an open upload shows, and is gone once aborted.
@Suite struct S3MultipartListingTests {
    @Test func anOpenUploadIsListedUntilAborted() async throws {
        let client = try TestStorage.client()
        let prefix = TestStorage.prefix()
        let key = prefix + "open upload.mp3"
        let id = try await client.createMultipartUpload(key: key, contentType: "audio/mpeg")
        _ = try await client.uploadPart(
            key: key, uploadID: id, partNumber: 1, data: ByteBuffer(bytes: TestStorage.bytes(1000)))
        let open = try await client.listMultipartUploads(prefix: prefix)
        #expect(open.map(\.key) == [key])
        #expect(open.map(\.uploadID) == [id])
        #expect(try await client.listMultipartUploads(prefix: TestStorage.prefix()).isEmpty)
        try await client.abortMultipartUpload(key: key, uploadID: id)
        #expect(try await client.listMultipartUploads(prefix: prefix).isEmpty)
        // Aborting again finds nothing to abort, which is no error.
        try await client.abortMultipartUpload(key: key, uploadID: id)
        #expect(try await client.head(key: key) == nil)
    }
}
