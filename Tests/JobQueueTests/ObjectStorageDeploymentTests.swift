import AsyncHTTPClient
import AudioCore
import AudioTesting
import CallRecordings
import Foundation
import NIOCore
import NIOHTTP1
import S3
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 24's deployment: PostgreSQL and a bucket (the suite's SeaweedFS) are all that two API nodes
/// (`serve --workers 0`) and a worker share, each process with its own empty working folder. A call ingested on
/// one node is processed by the worker and read from the other byte for byte; no process keeps a file of it, no
/// multipart upload is left open, and deleting it on the first node leaves no object.
@Suite(.postgresServer) struct ObjectStorageDeploymentTests {
    static let key = "deployment-test-key"

    /// A `callaudio-server` process of the deployment, and where it listens when it is an API node.
    struct Node {
        var process: ChildProcess
        var base: String
        var workFolder: URL
    }

    @Test func twoAPINodesAndAWorkerShareOnlyTheDatabaseAndTheBucket() async throws {
        let scratch = try Fixtures.scratchFolder("callaudio-deployment")
        let queue = try StoreKind.postgres.freshLocation()
        let prefix = "deployment-\(RecordingID.random())"
        var environment = try SeaweedFSTestServer.environment()
        environment["CALLAUDIO_API_KEYS"] = Self.key
        func start(_ name: String, _ arguments: [String]) throws -> Node {
            let work = scratch.appendingPathComponent("work-\(name)")
            let port = try PostgresServer.freePort()
            let command =
                arguments + [
                    "--queue", queue, "--storage", "s3://\(SeaweedFSTestServer.bucket)/\(prefix)", "--work-dir",
                    work.path,
                ]
                + (arguments[0] == "serve"
                    ? ["--port", "\(port)", "--host", "127.0.0.1", "--workers", "0", "--metrics-port", "0"] : [])
            let process = try ChildProcess(
                WorkerProcessTests.binary, command, log: scratch.appendingPathComponent("\(name).log"),
                environment: environment)
            return Node(process: process, base: "http://127.0.0.1:\(port)", workFolder: work)
        }
        let first = try start("api-1", ["serve"])
        let second = try start("api-2", ["serve"])
        let worker = try start("worker", ["worker", "--workers", "1", "--poll-seconds", "0.05"])
        let nodes = [first, second, worker]
        defer {
            for node in nodes { node.process.signal(SIGTERM) }
            for node in nodes { _ = node.process.wait() }
        }
        for node in [first, second] {
            try await eventually(timeout: .seconds(120), "\(node.base) ready") {
                (try? await Self.get(node.base + "/readyz"))?.status == 200
            }
        }

        // Ingested on the first node.
        let legs = try (0..<2).map { index in
            let leg = scratch.appendingPathComponent("leg\(index + 1).wav")
            try Fixtures.write(
                Signals.sine(
                    index == 0 ? 440 : 660, seconds: 3, format: AudioFormat(sampleRate: 8_000, channelCount: 1)),
                to: leg, as: .pcm16)
            return leg
        }
        let accepted = try await Self.ingest(legs, callID: "deploy-1", at: first.base)
        #expect(accepted.status == 202, "\(String(decoding: accepted.body, as: UTF8.self))")
        let id = try #require(try Self.json(accepted.body)["id"] as? String)

        // Processed by the worker, seen ready from the second node.
        try await eventually(timeout: .seconds(300), "the recording ready on the second node") {
            let resource = try Self.json(try await Self.get(second.base + "/v1/recordings/\(id)").body)
            return resource["status"] as? String == "ready"
        }
        let client = S3Client(
            bucket: SeaweedFSTestServer.bucket,
            configuration: try S3Configuration(environment: try SeaweedFSTestServer.environment()))
        let stored = try #require(try await client.data(key: "\(prefix)/recordings/\(id)/call.mp3"))
        let served = try await Self.get(second.base + "/v1/recordings/\(id)/audio.mp3")
        #expect(served.status == 200)
        #expect(served.body == stored, "the second node serves the bucket's bytes")
        let mp3 = scratch.appendingPathComponent("served.mp3")
        try served.body.write(to: mp3)
        #expect(abs(try Fixtures.read(mp3).duration - 3) < 0.1)
        let ranged = try await Self.get(
            second.base + "/v1/recordings/\(id)/audio.mp3", headers: [("Range", "bytes=100-1099")])
        #expect(ranged.status == 206)
        #expect(ranged.body == stored[100...1099])
        // A link the first node signed opens on the second: the signing key is the database's.
        let linked = try Self.json(try await Self.get(first.base + "/v1/recordings/\(id)").body)
        let audioURL = try #require(linked["audio_url"] as? String)
        let opened = try await Self.get(second.base + audioURL, authorized: false)
        #expect(opened.status == 200 && opened.body == stored)

        // No process keeps a file of it; no upload is left open.
        for node in nodes {
            let files = FileManager.default.enumerator(atPath: node.workFolder.path)?.compactMap { $0 as? String }
                .filter { path in
                    let attributes = try? FileManager.default.attributesOfItem(
                        atPath: node.workFolder.appendingPathComponent(path).path)
                    return attributes?[.type] as? FileAttributeType != .typeDirectory
                }
            #expect(files ?? [] == [], "\(node.workFolder.lastPathComponent) keeps files")
        }
        #expect(try await client.listMultipartUploads(prefix: prefix).isEmpty)

        // Deleted on the first node: no object is left.
        let deleted = try await Self.request(first.base + "/v1/recordings/\(id)", method: .DELETE)
        #expect(deleted.status == 204)
        #expect(try await client.listAll(prefix: "\(prefix)/recordings/\(id)/").isEmpty)
        #expect(try await Self.get(second.base + "/v1/recordings/\(id)").status == 404)
    }

    /// `POST /v1/calls` with the legs as a multipart upload.
    static func ingest(_ legs: [URL], callID: String, at base: String) async throws -> (status: Int, body: Data) {
        let boundary = "deployment-\(UUID().uuidString)"
        var body = Data()
        func part(_ name: String, fileName: String? = nil, _ content: Data) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"".utf8)
            if let fileName { body += Data("; filename=\"\(fileName)\"\r\nContent-Type: audio/wav".utf8) }
            body += Data("\r\n\r\n".utf8) + content + Data("\r\n".utf8)
        }
        for (index, leg) in legs.enumerated() {
            part("leg\(index + 1)", fileName: leg.lastPathComponent, try Data(contentsOf: leg))
        }
        part("call_id", Data(callID.utf8))
        body += Data("--\(boundary)--\r\n".utf8)
        return try await request(
            base + "/v1/calls", method: .POST, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
            body: body)
    }

    static func get(_ url: String, headers: [(String, String)] = [], authorized: Bool = true) async throws
        -> (status: Int, body: Data)
    {
        try await request(url, method: .GET, headers: headers, authorized: authorized)
    }

    static func request(
        _ url: String, method: HTTPMethod, headers: [(String, String)] = [], body: Data? = nil,
        authorized: Bool = true
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if authorized { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
