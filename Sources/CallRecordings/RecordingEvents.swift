import CallAudio
import CallAudioJobs
import CallWebhooks
import Foundation
import Jobs

/// The events the service sends the platform about its recordings, as `webhook` jobs: `recording.ready`,
/// `recording.failed`, `transcript.ready` (from the workers, as the jobs end), `voicemail.received` (on ingest)
/// and `recording.deleted`.
///
/// Each body is `{"type": ..., "timestamp": ..., "data": {...}}` with the recording's id, kind, the platform's
/// call id and the URL to read it; each request is keyed by its job or its recording's incarnation, so an event
/// is queued once.
public struct RecordingEvents: JobOutcomeObserver {
    /// Where the events go.
    public let target: String
    let storage: any RecordingStorage
    /// The service's address as the platform reaches it (`https://calls.example.com`), put before every URL in
    /// an event; nil leaves the URLs as paths.
    let publicURL: String?

    /// Tries enough for about a day of outage: 5 s, 10 s, ... capped at the queue's 10 minutes.
    public static let attempts = 150

    /// - Throws: `WebhookError.misconfigured` when `target` is not an http(s) URL.
    public init(target: String, storage: any RecordingStorage, publicURL: String? = nil) throws {
        _ = try WebhookSender.endpoint(target)
        self.target = target
        self.storage = storage
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The event a call, voicemail or transcribe job of one of this storage's recordings announces by ending.
    public func requests(after job: Job) async throws -> [JobRequest] {
        let (outputDirectory, isTranscript): (String, Bool)
        switch try job.payload {
        case .call(let call), .voicemail(let call): (outputDirectory, isTranscript) = (call.outputDirectory, false)
        case .voicemailEmail(let voicemail): (outputDirectory, isTranscript) = (voicemail.email.outputDirectory, false)
        case .transcribe(let transcription):
            (outputDirectory, isTranscript) = (transcription.call.outputDirectory, true)
        case .reencode, .webhook, .prompt: return []
        }
        guard let id = storage.recordingID(ofFolder: outputDirectory), let metadata = try await storage.metadata(of: id)
        else { return [] }
        let type: String
        var data = Payload(metadata, url: url("/v1/recordings/\(metadata.id)"))
        switch (job.status, isTranscript) {
        case (.succeeded, false):
            type = "recording.ready"
            data.status = "ready"
            data.duration = try await storage.report(of: metadata)?.duration
        case (.succeeded, true):
            type = "transcript.ready"
            data.transcriptURL = url("/v1/recordings/\(metadata.id)/transcript.json")
        case (.dead, false):
            type = "recording.failed"
            data.status = "failed"
            data.error = job.failure?.message
        default:
            return []
        }
        return [try request(type, data, key: "job-\(job.id)")]
    }

    /// `voicemail.received`: a voicemail was taken in and is being processed.
    func voicemailReceived(_ metadata: RecordingMetadata) throws -> JobRequest {
        var data = Payload(metadata, url: url("/v1/recordings/\(metadata.id)"))
        data.status = "queued"
        return try request("voicemail.received", data, key: metadata.mediaNonce)
    }

    /// `recording.deleted`: the recording and everything made from it are gone. It names the recording by id
    /// alone: the call id is personal data, which a deletion must not leave behind in the event's row.
    func deleted(_ metadata: RecordingMetadata) throws -> JobRequest {
        var data = Payload(metadata, url: nil)
        data.callID = nil
        data.details = nil
        return try request("recording.deleted", data, key: metadata.mediaNonce)
    }

    /// The idempotency keys of every event that can have been queued about `metadata`'s recording before its
    /// deletion, given the ids of its jobs: the events' rows are found by them, to be scrubbed.
    static func idempotencyKeys(of metadata: RecordingMetadata, jobs: [Int64]) -> [String] {
        let byJob = ["recording.ready", "recording.failed", "transcript.ready"].flatMap { type in
            jobs.map { key(type, recording: metadata.id, incarnation: "job-\($0)") }
        }
        return byJob + [key("voicemail.received", recording: metadata.id, incarnation: metadata.mediaNonce)]
    }

    private static func key(_ type: String, recording: String, incarnation: String) -> String {
        "event:\(type):\(recording):\(incarnation)"
    }

    private func request(_ type: String, _ data: Payload, key: String) throws -> JobRequest {
        let body = Body(type: type, timestamp: Date(), data: data)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
        return try JobRequest(
            payload: .webhook(WebhookDelivery(url: target, type: type, body: json)),
            idempotencyKey: Self.key(type, recording: data.id, incarnation: key), maxAttempts: Self.attempts)
    }

    private func url(_ path: String) -> String { (publicURL ?? "") + path }

    /// The JSON body of every event.
    struct Body: Codable {
        var type: String
        var timestamp: Date
        var data: Payload
    }

    /// What an event says of its recording: its own fields, and its call's details (`direction`, `from`, ...)
    /// beside them.
    struct Payload: Codable {
        var id: String
        var kind: String
        var callID: String?
        var details: CallDetails?
        var status: String?
        var duration: Double?
        var error: String?
        var url: String?
        var transcriptURL: String?

        init(_ metadata: RecordingMetadata, url: String?) {
            id = metadata.id
            kind = metadata.kind.rawValue
            callID = metadata.callID
            details = metadata.details
            self.url = url
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, status, duration, error, url
            case callID = "call_id"
            case transcriptURL = "transcript_url"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            kind = try container.decode(String.self, forKey: .kind)
            callID = try container.decodeIfPresent(String.self, forKey: .callID)
            details = try CallDetails(from: decoder)
            status = try container.decodeIfPresent(String.self, forKey: .status)
            duration = try container.decodeIfPresent(Double.self, forKey: .duration)
            error = try container.decodeIfPresent(String.self, forKey: .error)
            url = try container.decodeIfPresent(String.self, forKey: .url)
            transcriptURL = try container.decodeIfPresent(String.self, forKey: .transcriptURL)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(kind, forKey: .kind)
            try container.encodeIfPresent(callID, forKey: .callID)
            try details?.encode(to: encoder)
            try container.encodeIfPresent(status, forKey: .status)
            try container.encodeIfPresent(duration, forKey: .duration)
            try container.encodeIfPresent(error, forKey: .error)
            try container.encodeIfPresent(url, forKey: .url)
            try container.encodeIfPresent(transcriptURL, forKey: .transcriptURL)
        }
    }
}
