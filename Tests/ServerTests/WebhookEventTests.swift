import AudioTesting
import CallAudioJobs
import CallAudioServer
import CallRecordings
import CallWebhooks
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import Logging
import ServiceLifecycle
import Testing

/// The service's events: queued as `webhook` jobs, sent by real workers to a real receiver that checks the
/// Standard Webhooks signature on its own (Tests/Scripts/webhook_receiver.py, Python's hmac).
@Suite struct WebhookEventTests {
    static let secret =
        "whsec_" + Data((0..<32).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }).base64EncodedString()
    static let scripts = Fixtures.packageRoot.appendingPathComponent("Tests")
        .appendingPathComponent("Scripts")
    static let receiverFolder = Result { try Fixtures.scratchFolder("webhook-receiver") }
    static let receiver = Result {
        try ScriptedServer(
            "/usr/bin/python3",
            [
                scripts.appendingPathComponent("webhook_receiver.py").path, try receiverFolder.get().path, secret,
            ])
    }

    /// One request as the receiver logged it.
    struct Received: Decodable {
        var path: String
        var id: String?
        var timestamp: String?
        var verified: Bool
        var contentType: String?
        var body: Body?

        struct Body: Decodable {
            var type: String
            var timestamp: String?
            var data: Payload?
        }

        struct Payload: Decodable {
            var id: String
            var kind: String
            var callID: String?
            var status: String?
            var duration: Double?
            var error: String?
            var url: String?
            var transcriptURL: String?

            enum CodingKeys: String, CodingKey {
                case id, kind, status, duration, error, url
                case callID = "call_id"
                case transcriptURL = "transcript_url"
            }
        }

        enum CodingKeys: String, CodingKey {
            case path, id, timestamp, verified, body
            case contentType = "content_type"
        }
    }

    func received() throws -> [Received] {
        let log = try Self.receiverFolder.get().appendingPathComponent("requests.jsonl")
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
    }

    func events(of recording: String) throws -> [String: Received] {
        Dictionary(
            try received().compactMap { request in request.body.map { ($0.type, request) } }
                .filter { $0.1.body?.data?.id == recording }, uniquingKeysWith: { first, _ in first })
    }

    func target(_ path: String) throws -> String { "http://127.0.0.1:\(try Self.receiver.get().port)\(path)" }

    /// The runner of real workers, signing with the test secret.
    func runner() throws -> AudioJobRunner {
        AudioJobRunner(webhooks: WebhookSender(signer: try WebhookSigner(secret: Self.secret)))
    }

    @Test func aVoicemailsLifeIsAnnouncedSignedAndADeadCallToo() async throws {
        let harness = try await ServiceHarness(webhookTarget: try target("/ok"))
        let samples = Self.scripts.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "samples")
        try await harness.withWorker(runner: runner()) {
            try await harness.app.test(.router) { client in
                var voicemail = Multipart()
                try voicemail.file("file", samples.appendingPathComponent("voicemail.flac"))
                voicemail.field("call_id", "vm-webhook-1")
                voicemail.field("transcribe", "true")
                let accepted = try await client.execute(
                    uri: "/v1/voicemails", method: .post, headers: voicemail.headers, body: voicemail.buffer)
                #expect(accepted.status == .accepted, "\(String(buffer: accepted.body))")
                let id = try accepted.json(Accepted.self).id
                try await eventually(timeout: .seconds(180), "voicemail.received, recording.ready, transcript.ready") {
                    try Set(events(of: id).keys).isSuperset(of: [
                        "voicemail.received", "recording.ready", "transcript.ready",
                    ])
                }
                let transcript = try #require(try events(of: id)["transcript.ready"])
                #expect(transcript.body?.data?.transcriptURL == "/v1/recordings/\(id)/transcript.json")
                let resource = try await client.execute(
                    uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
                ).json(RecordingResource.self)
                let ready = try #require(try events(of: id)["recording.ready"])
                #expect(ready.body?.data?.status == "ready")
                #expect(ready.body?.data?.callID == "vm-webhook-1")
                #expect(ready.body?.data?.kind == "voicemail")
                #expect(ready.body?.data?.url == "/v1/recordings/\(id)")
                #expect(abs((ready.body?.data?.duration ?? 0) - (resource.duration ?? -1)) < 0.001)

                let deleted = try await client.execute(
                    uri: "/v1/recordings/\(id)", method: .delete, headers: ServiceHarness.authorized)
                #expect(deleted.status == .noContent)
                try await eventually(timeout: .seconds(60), "recording.deleted") {
                    try events(of: id).keys.contains("recording.deleted")
                }

                var call = Multipart()
                let notAudio = harness.folder.appendingPathComponent("notes.wav")
                try Data("these are not audio samples".utf8).write(to: notAudio)
                try call.file("leg1", notAudio)
                call.field("call_id", "call-webhook-dead")
                let dead = try await client.execute(
                    uri: "/v1/calls", method: .post, headers: call.headers, body: call.buffer)
                let deadID = try dead.json(Accepted.self).id
                try await eventually(timeout: .seconds(60), "recording.failed") {
                    try events(of: deadID).keys.contains("recording.failed")
                }
                let failed = try #require(try events(of: deadID)["recording.failed"])
                #expect(failed.body?.data?.status == "failed")
                #expect(failed.body?.data?.error?.isEmpty == false)

                let all = Array(try events(of: id).values) + Array(try events(of: deadID).values)
                #expect(all.count == 5)
                for event in all {
                    #expect(event.verified, "\(event.body?.type ?? "?"): the receiver's own HMAC check failed")
                    #expect(event.contentType == "application/json")
                    #expect(event.id?.hasPrefix("msg_") == true)
                    let sent = try #require(event.timestamp.flatMap(Double.init))
                    #expect(abs(sent - Date().timeIntervalSince1970) < 300)
                }
                #expect(Set(all.compactMap(\.id)).count == all.count)
            }
        }
        let rows = try await harness.queue.jobs(matching: JobFilter(), limit: 100)
        #expect(rows.filter { $0.kind == JobKind.webhook.rawValue }.count == 5)
        let stored = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        #expect(!stored.contains(Self.secret.dropFirst(6).prefix(16)), "the secret reached a job row")
    }

    @Test func aRefusedDeliveryIsRetriedWithTheSameIDAndGoneStopsIt() async throws {
        let harness = try await ServiceHarness(
            webhookTarget: try target("/ok"), retryPolicy: RetryPolicy(base: 0.05, maximum: 0.1, jitter: 0))
        let flaky = try await harness.queue.enqueue(
            try JobRequest(
                payload: .webhook(
                    WebhookDelivery(url: try target("/flaky"), type: "test.flaky", body: #"{"type":"test.flaky"}"#)))
        ).job
        let gone = try await harness.queue.enqueue(
            try JobRequest(
                payload: .webhook(
                    WebhookDelivery(url: try target("/gone"), type: "test.gone", body: #"{"type":"test.gone"}"#)))
        ).job
        try await harness.withWorker(runner: runner()) {
            try await eventually(timeout: .seconds(60), "both deliveries final") {
                let flakyDone = try await harness.queue.job(flaky.id)?.status.isFinal == true
                let goneDone = try await harness.queue.job(gone.id)?.status.isFinal == true
                return flakyDone && goneDone
            }
        }
        let delivered = try #require(try await harness.queue.job(flaky.id))
        #expect(delivered.status == .succeeded)
        #expect(delivered.attempts == 2)
        guard case .webhook(let message) = try delivered.payload else { return }
        let attempts = try received().filter { $0.path == "/flaky" && $0.id == message.messageID }
        #expect(attempts.count == 2)
        #expect(attempts.allSatisfy { $0.verified })

        let stopped = try #require(try await harness.queue.job(gone.id))
        #expect(stopped.status == .dead)
        #expect(stopped.attempts == 1)
        #expect(stopped.failure?.code == "webhook.gone")
        #expect(stopped.failure?.isPermanent == true)
    }
}
