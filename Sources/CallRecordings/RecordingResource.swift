import CallAudio
import CallAudioJobs
import CallVoicemail
import Foundation
import Jobs

/// `GET /v1/recordings/{id}`: a recording as the platform sees it.
public struct RecordingResource: Codable, Sendable, Equatable {
    public struct Leg: Codable, Sendable, Equatable {
        public var role: String?
        public var format: String
        public var duration: Double
        public var offset: Double
    }

    public var id: String
    public var kind: RecordingMetadata.Kind
    public var callID: String?
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
    /// `none`, `requested` or `ready`.
    public var transcript: String
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
        case audioURL = "audio_url"
        case playerURL = "player_url"
        case waveformURL = "waveform_url"
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

    /// The platform's four states from the job's six.
    static func status(of job: Job?, reportExists: Bool) -> String {
        switch job?.status {
        case nil: reportExists ? "ready" : "queued"
        case .queued, .retrying: "queued"
        case .running: "processing"
        case .succeeded: "ready"
        case .dead, .cancelled: "failed"
        }
    }

    /// `transcript` from the files in the folder and what the platform asked for.
    public static func transcriptStatus(folder: URL, baseName: String, requested: Bool) -> String {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(baseName).transcript.json").path) {
            return "ready"
        }
        return requested ? "requested" : "none"
    }
}
