import Foundation

/// What the service knows of a recording beyond its files: kept as `recording.json` among its files.
public struct RecordingMetadata: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case call
        case voicemail
    }

    public var id: String
    public var kind: Kind
    /// The platform's call (or voicemail) id, when it gave one.
    public var callID: String?
    /// The queue job that processes the recording, once enqueued.
    public var jobID: Int64?
    /// Random, per recording: part of every media URL signature, so deleting the recording revokes them.
    public var mediaNonce: String
    /// True when the platform asked for a transcript.
    public var transcribe: Bool
    /// The `transcribe` job asked for later by `POST /v1/recordings/{id}/transcript`, once queued.
    public var transcriptJobID: Int64?
    public var createdAt: Date
    /// The name its files begin with: nil for `call` (`call.mp3`, `call.waveform.json`, ...); `voicemail` for a
    /// voicemail that is emailed (`voicemail.mp3`, `voicemail.json` with the email and its delivery).
    public var outputName: String?
    /// What the platform told of the call at ingest; nil for recordings taken in before details existed.
    public var details: CallDetails?

    public static let fileName = "recording.json"
    public static let emailedVoicemailName = "voicemail"

    /// What its files begin with.
    public var baseName: String { outputName ?? "call" }

    enum CodingKeys: String, CodingKey {
        case id, kind
        case callID = "call_id"
        case jobID = "job_id"
        case mediaNonce = "media_nonce"
        case transcribe
        case transcriptJobID = "transcript_job_id"
        case createdAt = "created_at"
        case outputName = "output_name"
        case details
    }

}

extension RecordingMetadata {
    /// The metadata in `recording.json`'s bytes; nil when they cannot be read.
    public init?(json: Data) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let metadata = try? decoder.decode(RecordingMetadata.self, from: json) else { return nil }
        self = metadata
    }

    /// The bytes of `recording.json`.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
