import CallAudio
import Foundation

/// What one voicemail produced: written as `voicemail.json` and kept as a job's result.
public struct VoicemailReport: Codable, Sendable, Equatable {
    /// The cleaned, trimmed recording (`audio.outputs[0]` is `voicemail.mp3`).
    public var audio: CallReport
    public var transcript: Transcript
    public var email: Email
    /// How the email was sent, when a mail server was given; nil when it was only written to `voicemail.eml`.
    public var delivery: Delivery?

    public struct Transcript: Codable, Sendable, Equatable {
        public enum Status: String, Codable, Sendable {
            /// `--transcribe` was not given.
            case notRequested = "not-requested"
            /// Asked for, but no transcription engine is configured.
            case unavailable
            /// The engine ran and failed; `error` says why.
            case failed
            case done
        }

        public var status: Status
        public var text: String?
        public var error: String?
    }

    public struct Email: Codable, Sendable, Equatable {
        /// `voicemail.eml`.
        public var path: String
        public var bytes: Int
        /// Without angle brackets; the same for every run of the same voicemail.
        public var messageID: String
        public var subject: String
        public var from: String
        public var to: [String]
        public var attachmentFilename: String
    }

    /// The outcome of one attempt to send the email.
    public struct Delivery: Codable, Sendable, Equatable {
        public enum Status: String, Codable, Sendable {
            case sent, failed
        }

        public var status: Status
        /// The server, never with its password: `smtp://vm@mail.example.com:587`.
        public var server: String
        /// The server's reply accepting the message (`250 2.0.0 Ok: queued as 4F3A`), when sent.
        public var reply: String?
        /// Why it was not sent, in the server's words where it gave any; never a password.
        public var error: String?
        /// For a failure: whether a later attempt may succeed (a 4xx reply, a lost connection, a timeout).
        public var isTransient: Bool?
        public var at: Date

        public init(
            status: Status, server: String, reply: String? = nil, error: String? = nil, isTransient: Bool? = nil,
            at: Date = Date()
        ) {
            self.status = status
            self.server = server
            self.reply = reply
            self.error = error
            self.isTransient = isTransient
            self.at = at
        }
    }
}

extension VoicemailReport {
    /// The `voicemail.json` in `folder`, when there is one and it reads.
    public static func read(in folder: String) -> VoicemailReport? {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(VoicemailProcessor.reportName)
        guard let data = try? Data(contentsOf: url) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VoicemailReport.self, from: data)
    }
}
