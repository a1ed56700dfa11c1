import AudioTesting
import Foundation
import NIOCore
import Testing

@testable import S3

/// Retries and error reports against a scripted server (Tests/Scripts/scripted_s3_server.py) that fails on purpose
/// (503, 429, 500, a dropped connection, 403, a 200 OK holding an error) and, like AWS, refuses a body whose
/// SHA-256 is not the one signed.
@Suite struct S3RetryTests {
    static let server = Result {
        try ScriptedServer(
            "/usr/bin/python3",
            [Fixtures.packageRoot.appendingPathComponent("Tests/Scripts/scripted_s3_server.py").path])
    }

    /// The waits a client asked for, instead of waiting.
    actor Waits {
        var delays: [Duration] = []
        func add(_ delay: Duration) { delays.append(delay) }
    }

    static func client(attempts: Int = 3, waits: Waits = Waits()) throws -> S3Client {
        let configuration = S3Configuration(
            endpoint: URL(string: "http://127.0.0.1:\(try server.get().port)"),
            credentials: S3Credentials(accessKeyID: "scripted", secretAccessKey: "scripted-secret"))
        let policy = S3RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(100)) { await waits.add($0) }
        return S3Client(bucket: "bucket", configuration: configuration, retryPolicy: policy)
    }

    static func key(_ scenario: String) -> String { "\(scenario)/\(UUID().uuidString) +ü.bin" }

    @Test(arguments: ["busy", "throttle", "drop"])
    func aBusyServerOrALostConnectionIsTriedAgain(_ scenario: String) async throws {
        let waits = Waits()
        let client = try Self.client(waits: waits)
        let etag = try await client.putObject(key: Self.key(scenario), data: Data(TestStorage.bytes(10_000)))
        #expect(etag == "\"attempt-2\"")
        let delays = await waits.delays
        #expect(delays.count == 1)
        #expect(delays.allSatisfy { $0 >= .zero && $0 <= .milliseconds(100) })
        #expect(try await client.data(key: Self.key(scenario)) == Data("attempt 2".utf8))
    }

    @Test func aFailingServerIsTriedAFewTimesThenReported() async throws {
        let waits = Waits()
        let client = try Self.client(attempts: 3, waits: waits)
        let key = Self.key("down")
        let error = try await #require(throws: S3Error.self) { try await client.data(key: key) }
        #expect(error.status == 500)
        #expect(error.code == "InternalError")
        #expect(error.message == "attempt 3")
        #expect(error.key == key)
        #expect(error.operation == "GetObject")
        let delays = await waits.delays
        #expect(delays.count == 2)
        #expect(delays.allSatisfy { $0 <= .milliseconds(200) })
    }

    @Test func aRefusalIsNotTriedAgain() async throws {
        let client = try Self.client()
        let error = try await #require(throws: S3Error.self) {
            try await client.putObject(key: Self.key("refuse"), data: Data("x".utf8))
        }
        #expect(error.status == 403)
        #expect(error.code == "AccessDenied")
        #expect(error.message == "attempt 1")
        #expect(!"\(error)".contains("scripted-secret"))
    }

    @Test func aSkewedClockIsReportedAsSuch() async throws {
        let client = try Self.client()
        let error = try await #require(throws: S3Error.self) { try await client.data(key: Self.key("skewed")) }
        #expect(error.isClockSkew)
        #expect("\(error)".contains("clock"))
        #expect(error.status == 403)
    }

    @Test func anErrorInsideA200CompleteIsTriedAgainAndEntitiesAreDecoded() async throws {
        let waits = Waits()
        let client = try Self.client(waits: waits)
        let parts = [ByteBuffer(bytes: TestStorage.bytes(1000))].async
        let etag = try await client.uploadMultipart(key: Self.key("multipart"), parts: parts)
        #expect(etag == "\"whole-1\"")
        #expect(await waits.delays.count == 1)
    }

    @Test func delaysGrowAndStayBounded() {
        let policy = S3RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for retry in 1...9 {
            let bound = min(Duration.seconds(1), .milliseconds(100) * (1 << (retry - 1)))
            for _ in 0..<20 {
                let delay = policy.delay(beforeRetry: retry)
                #expect(delay >= .zero && delay <= bound)
            }
        }
        #expect(S3RetryPolicy.isRetryable(status: 503, code: "SlowDown"))
        #expect(S3RetryPolicy.isRetryable(status: 429, code: nil))
        #expect(!S3RetryPolicy.isRetryable(status: 404, code: "NoSuchKey"))
        #expect(!S3RetryPolicy.isRetryable(status: 403, code: "RequestTimeTooSkewed"))
    }
}
