import AudioCore

/// Why a transcription failed, in one line a user can act on.
public struct TranscriptionError: ClassifiedError, Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The engine cannot be reached or is overloaded (connection refused, timeout, 429, 5xx): worth retrying.
        case engineUnavailable
        /// The engine refused the request (4xx other than 429): retrying the same request cannot help.
        case rejected
        /// The engine answered with something that is not a transcription.
        case malformedReply
        /// The engine cannot be set up (unknown name, missing model files).
        case misconfigured
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// False only for an engine that is down or busy, which a later attempt may find up; a refusal or a bad setup
    /// stays what it is.
    public var isPermanent: Bool { kind != .engineUnavailable }

    public var errorCode: String { "transcription.\(kind.rawValue)" }

    public var description: String { message }
}
