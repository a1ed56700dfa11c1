/// Why a transcription failed, in one line a user can act on.
public struct TranscriptionError: Error, Sendable, Equatable, CustomStringConvertible {
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

    /// True for failures a later retry may get past (an engine that is down or busy).
    public var isTransient: Bool { kind == .engineUnavailable }

    public var description: String { message }
}
