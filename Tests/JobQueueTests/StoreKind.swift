import AudioTesting
import CallAudio
import CallPrompts
import CallRecordings
import CallWebhooks
import Foundation
import Logging
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// The stores every conformance test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// A location with a fresh, empty queue: a new SQLite file, or a new database on the suite's server.
    func freshLocation() throws -> String {
        switch self {
        case .sqlite:
            let directory = try Fixtures.scratchFolder("callaudio-queue")
            return "sqlite:" + directory.appendingPathComponent("jobs.db").path
        case .postgres:
            guard let server = PostgresServer.current else {
                throw TestError("this suite needs the .postgresServer trait")
            }
            return try server.createDatabase()
        }
    }

    /// Runs `body` with an open queue at a fresh location and closes it afterwards.
    func withQueue(
        clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        _ body: (any JobQueue, String) async throws -> Void
    ) async throws {
        let location = try freshLocation()
        let queue = try await JobQueueLocation(location).open(
            clock: clock, retryPolicy: retryPolicy, logger: Logger(label: "test"))
        do {
            try await body(queue, location)
        } catch {
            try? await queue.close()
            throw explained(error)
        }
        try await queue.close()
    }
}

extension StoreKind {
    /// Runs `body` with the recordings' catalog (and its queue) at a fresh location, and closes it afterwards.
    func withCatalog(
        clock: any JobClock = SystemJobClock(), _ body: (any RecordingCatalog) async throws -> Void
    ) async throws {
        let catalog = try await JobQueueLocation(try freshLocation()).openCatalog(
            clock: clock, logger: Logger(label: "test"))
        do {
            try await body(catalog)
        } catch {
            try? await catalog.queue.close()
            throw explained(error)
        }
        try await catalog.queue.close()
    }
}

/// `error`, or for PostgresNIO's `PSQLError`, which prints one generic line (to keep secrets out of logs), an error
/// that says what `String(reflecting:)` says of it: the server's SQLSTATE and message, or the connection's fault.
func explained(_ error: any Error) -> any Error {
    "\(type(of: error))" == "PSQLError" ? TestError(String(reflecting: error)) : error
}

/// A re-encode request that is never run for real: the queue tests look only at its scheduling.
func request(
    _ kind: JobKind = .reencode, key: String? = nil, priority: Int? = nil, maxAttempts: Int = 3, name: String = "a"
) throws -> JobRequest {
    let payload: JobPayload =
        switch kind {
        case .reencode: .reencode(EncodeRecipe(input: "/in/\(name).wav", output: "/out/\(name).mp3"))
        case .call: .call(CallRecipe(legs: [.init(path: "/in/\(name).wav")], outputDirectory: "/out/\(name)"))
        case .voicemail: .voicemail(CallRecipe(legs: [.init(path: "/in/\(name).wav")], outputDirectory: "/out/\(name)"))
        case .transcribe:
            .transcribe(
                TranscribeRecipe(
                    call: CallRecipe(legs: [.init(path: "/in/\(name).wav")], outputDirectory: "/out/\(name)")))
        case .webhook: .webhook(WebhookDelivery(url: "http://127.0.0.1:9/\(name)", type: "test.event", body: "{}"))
        case .prompt: .prompt(PromptRecipe(input: "/in/\(name).wav", kind: .greeting, outputDirectory: "/out/\(name)"))
        }
    return try JobRequest(payload: payload, priority: priority, idempotencyKey: key, maxAttempts: maxAttempts)
}

/// The lease of tests that are not about expiry: long enough that a loaded CI machine never lets one run out
/// in the middle of a test (a 30 s lease once did).
let testLease: TimeInterval = 600
