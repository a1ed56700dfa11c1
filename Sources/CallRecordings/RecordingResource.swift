import CallAudio
import CallAudioJobs
import CallVoicemail
import Foundation
import Jobs

/// `GET /v1/recordings/{id}`: a recording as the platform sees it, its call's details (`direction`, `from`, ...)
/// beside its own fields.
public struct RecordingResource: Sendable, Equatable {
    public struct Leg: Codable, Sendable, Equatable {
        public var role: String?
        public var format: String
        public var duration: Double
        public var offset: Double
    }

    public var id: String
    public var kind: RecordingMetadata.Kind
    public var callID: String?
    public var details: CallDetails
    /// `queued`, `processing`, `ready` or `failed`.
    public var status: String
    /// While processing: what the worker is doing and how far it has come (0 ... 100).
    public var stage: String?
    public var progress: Double?
    /// Seconds, once ready.
    public var duration: Double?
    public var legs: [Leg]
    /// The files made, by name (`call.mp3`, `call-1.5x.mp3`, ...).
    public var outputs: [String]
    /// `none`, `requested`, `processing`, `ready` or `failed`.
    public var transcript: String
    /// Why the transcript failed (its job's last failure), while `transcript` is `failed`.
    public var transcriptError: String?
    /// For a voicemail that is emailed: whether the email went out.
    public var email: EmailStatus?
    /// Why processing failed.
    public var error: String?
    /// This resource's own path.
    public var url: String
    /// Signed, expiring URLs a browser opens with no other credentials.
    public var audioURL: String
    public var playerURL: String
    public var waveformURL: String

    enum CodingKeys: String, CodingKey {
        case id, kind, status, stage, progress, duration, legs, outputs, transcript, email, error, url
        case callID = "call_id"
        case transcriptError = "transcript_error"
        case audioURL = "audio_url"
        case playerURL = "player_url"
        case waveformURL = "waveform_url"
    }
}

extension RecordingResource: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(RecordingMetadata.Kind.self, forKey: .kind)
        callID = try container.decodeIfPresent(String.self, forKey: .callID)
        details = try CallDetails(from: decoder)
        status = try container.decode(String.self, forKey: .status)
        stage = try container.decodeIfPresent(String.self, forKey: .stage)
        progress = try container.decodeIfPresent(Double.self, forKey: .progress)
        duration = try container.decodeIfPresent(Double.self, forKey: .duration)
        legs = try container.decode([Leg].self, forKey: .legs)
        outputs = try container.decode([String].self, forKey: .outputs)
        transcript = try container.decode(String.self, forKey: .transcript)
        transcriptError = try container.decodeIfPresent(String.self, forKey: .transcriptError)
        email = try container.decodeIfPresent(EmailStatus.self, forKey: .email)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        url = try container.decode(String.self, forKey: .url)
        audioURL = try container.decode(String.self, forKey: .audioURL)
        playerURL = try container.decode(String.self, forKey: .playerURL)
        waveformURL = try container.decode(String.self, forKey: .waveformURL)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(callID, forKey: .callID)
        try details.encode(to: encoder)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(stage, forKey: .stage)
        try container.encodeIfPresent(progress, forKey: .progress)
        try container.encodeIfPresent(duration, forKey: .duration)
        try container.encode(legs, forKey: .legs)
        try container.encode(outputs, forKey: .outputs)
        try container.encode(transcript, forKey: .transcript)
        try container.encodeIfPresent(transcriptError, forKey: .transcriptError)
        try container.encodeIfPresent(email, forKey: .email)
        try container.encodeIfPresent(error, forKey: .error)
        try container.encode(url, forKey: .url)
        try container.encode(audioURL, forKey: .audioURL)
        try container.encode(playerURL, forKey: .playerURL)
        try container.encode(waveformURL, forKey: .waveformURL)
    }
}

extension RecordingResource {
    /// An emailed voicemail's email, from its `voicemail.json`.
    public struct EmailStatus: Codable, Sendable, Equatable {
        /// `pending` (not made or not sent yet; a failed send retries), `sent` or `failed`.
        public var status: String
        public var messageID: String?
        public var to: [String]?
        /// The mail server's reply accepting it.
        public var reply: String?
        /// Why the last attempt to send it failed.
        public var error: String?
        /// The transcript in its body: `not-requested`, `unavailable`, `failed` or `done`.
        public var transcript: String?

        enum CodingKeys: String, CodingKey {
            case status, to, reply, error, transcript
            case messageID = "message_id"
        }

        init(_ report: VoicemailReport?) {
            status = report?.delivery.map { $0.status == .sent ? "sent" : "failed" } ?? "pending"
            messageID = report?.email.messageID
            to = report?.email.to
            reply = report?.delivery?.reply
            error = report?.delivery?.error
            transcript = report?.transcript.status.rawValue
        }
    }
}
