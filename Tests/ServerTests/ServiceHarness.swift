import AudioCore
import AudioTesting
import CallAudio
import CallAudioJobs
import CallAudioServer
import CallMailSMTP
import CallRecordings
import CallWebhooks
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import JobsSQLite
import Logging
import Prometheus
import ServiceLifecycle
import Testing

/// A recording service over a fresh SQLite queue and storage folder, driven through HummingbirdTesting's
/// router client; jobs are run on demand by the real `AudioJobRunner`.
struct ServiceHarness {
    static let key = "test-key-1"
    /// The platform's webhook secret: it may sign ingest requests instead of sending a key.
    static let webhookSecret = "whsec_" + Data(repeating: 0x5a, count: 32).base64EncodedString()
    let folder: URL
    let catalog: SQLiteRecordingCatalog
    var queue: any JobQueue { catalog.queue }
    let service: RecordingService
    /// The storage folder the service keeps its recordings in.
    let localStorage: LocalRecordingStorage
    let app: Application<RouterResponder<BasicRequestContext>>

    /// - Parameters:
    ///   - webhookTarget: where the service's events go, when they are under test.
    ///   - retryPolicy: the queue's backoff (short, to test retries).
    ///   - metrics: the registry `/metrics` serves, when metrics are under test.
    ///   - publicURL: the service's address as clients reach it.
    ///   - ingestFolder: the folder whose files requests may name.
    ///   - mail: where emailed voicemails go.
    ///   - limits: how many legs and how long a call a request may ask for.
    ///   - sharing: another node whose queue and storage (and so signing key) this one shares, as API nodes do.
    ///   - logger: the application's logger.
    init(
        maxUploadBytes: Int = 64 << 20, webhookTarget: String? = nil, retryPolicy: RetryPolicy = RetryPolicy(),
        metrics: PrometheusCollectorRegistry? = nil, publicURL: String? = nil, ingestFolder: URL? = nil,
        mail: SMTPDestination? = nil, limits: IngestLimits = IngestLimits(), sharing: ServiceHarness? = nil,
        logger: Logger? = nil
    ) async throws {
        folder = try sharing?.folder ?? Fixtures.scratchFolder("callaudio-server")
        catalog = try SQLiteRecordingCatalog(
            path: folder.appendingPathComponent("jobs.db").path, retryPolicy: retryPolicy)
        let storage = try LocalRecordingStorage(path: folder.appendingPathComponent("storage").path)
        localStorage = storage
        service = RecordingService(
            storage: storage, catalog: catalog, signer: MediaSigner(key: try await catalog.mediaSigningKey()),
            events: try webhookTarget.map { try RecordingEvents(target: $0, storage: storage) }, publicURL: publicURL,
            ingestFolder: try ingestFolder.map { try IngestFolder(path: $0.path) }, mail: mail, limits: limits)
        app = Application(
            router: RecordingServer.makeRouter(
                service: service,
                settings: .init(
                    keys: APIKeys([Self.key, "other-key"]), maxUploadBytes: maxUploadBytes,
                    requestSigner: try WebhookSigner(secret: Self.webhookSecret), metrics: metrics)),
            logger: logger)
    }

    var storage: URL { localStorage.root }

    static var authorized: HTTPFields { [.authorization: "Bearer \(key)"] }

    /// Writes a two-leg call (a 440 Hz caller, 3 s, and a 660 Hz agent, 2 s, 8 kHz mu-law) and returns the legs.
    func legs() throws -> [URL] {
        let format = AudioFormat.mono(8_000)
        return try [(440.0, 3.0), (660.0, 2.0)].enumerated().map { index, tone in
            let url = folder.appendingPathComponent("leg\(index + 1).wav")
            try Fixtures.write(
                Signals.sine(tone.0, amplitude: 0.4, seconds: tone.1, format: format), to: url, as: .mulaw)
            return url
        }
    }

    /// Uploads the two-leg call of `legs()` (call id `callID`, roles caller and agent, leg 2 at 1.5 s, and
    /// `fields` besides), processes it, and returns the recording's id.
    func ingestAndProcess(
        client: some TestClientProtocol, callID: String = "4711", fields: [String: String] = [:]
    ) async throws -> String {
        var form = Multipart()
        for (index, leg) in try legs().enumerated() { try form.file("leg\(index + 1)", leg) }
        form.field("call_id", callID)
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { form.field(name, value) }
        form.field("offsets", "2=1.5")
        form.field("roles", "caller,agent")
        let response = try await client.execute(
            uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
        #expect(response.status == .accepted, "\(String(buffer: response.body))")
        let accepted = try response.json(Accepted.self)
        try await runJobs()
        return accepted.id
    }

    /// Runs every due job to its end with the real runner, as a worker would (follow-ups queued first).
    func runJobs(runner: AudioJobRunner = AudioJobRunner()) async throws {
        while let job = try await queue.claim(worker: "test", leaseDuration: 600) {
            do {
                // Off Swift concurrency's few threads, as a worker's own threads run jobs: a render blocking them
                // would stall every other test's tasks meanwhile.
                var result = try await offThePool { try runner.run(job, progress: JobProgressReporter()) }
                var followUps: [Int64] = []
                for request in result.followUps { followUps.append(try await queue.enqueue(request).job.id) }
                result.followUpJobs = followUps.isEmpty ? nil : followUps
                _ = try await queue.succeed(job.id, worker: "test", result: result)
            } catch {
                _ = try await queue.fail(job.id, worker: "test", failure: JobFailure(error))
            }
        }
    }

    /// Runs one real worker pool (one slot, the service's events as its observer) while `body` runs, then shuts
    /// it down gracefully.
    func withWorker(runner: AudioJobRunner = AudioJobRunner(), _ body: @Sendable () async throws -> Void) async throws {
        let pool = WorkerPool(
            queue: queue, runner: runner, observer: service.events,
            configuration: .init(workers: 1, leaseDuration: 600, pollInterval: 0.05, gracePeriod: 60),
            logger: Logger(label: "test"))
        let group = ServiceGroup(services: [pool], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Everything under the storage folder except the signing key and the ids of accepted signed requests,
    /// relative paths sorted.
    func storageListing() throws -> [String] {
        let root = storage.path
        let enumerator = FileManager.default.enumerator(atPath: root)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String { paths.append(path) }
        return paths.filter { $0 != ".media-signing-key" && !$0.hasPrefix(".webhook-ids") }.sorted()
    }
}

/// A `multipart/form-data` body built by hand, as a client would send it.
struct Multipart {
    let boundary = "----callaudio-test-\(UUID().uuidString)"
    var body = Data()

    mutating func field(_ name: String, _ value: String) {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    mutating func file(_ name: String, _ url: URL) throws {
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(url.lastPathComponent)\"\r\nContent-Type: audio/wav\r\n\r\n"
                    .utf8))
        body.append(try Data(contentsOf: url))
        body.append(Data("\r\n".utf8))
    }

    var headers: HTTPFields {
        [.authorization: "Bearer \(ServiceHarness.key)", .contentType: "multipart/form-data; boundary=\(boundary)"]
    }

    var buffer: ByteBuffer {
        var data = body
        data.append(Data("--\(boundary)--\r\n".utf8))
        return ByteBuffer(bytes: data)
    }
}

struct Accepted: Decodable {
    var id: String
    var status: String
    var url: String
}

extension TestResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }

    var data: Data { Data(body.readableBytesView) }
}
