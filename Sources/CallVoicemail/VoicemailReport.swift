import CallAudio
import Foundation

/// What one voicemail produced: written as `voicemail.json` and kept as a job's result.
public struct VoicemailReport: Codable, Sendable, Equatable {
    /// The cleaned, trimmed recording (`audio.outputs[0]` is `voicemail.mp3`).
    public var audio: CallReport
    public var transcript: Transcript
    public var email: Email

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
}
