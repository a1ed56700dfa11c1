import AudioCore

/// Why a webhook could not be sent or a signed request was refused.
public struct WebhookError: ClassifiedError, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The secret or the target URL is unusable: fix the configuration.
        case misconfigured
        /// The receiver answered `410 Gone`: it wants no more of these events.
        case gone
        /// The receiver could not be reached or answered anything but 2xx: worth another attempt.
        case undelivered
        /// A received request's signature or timestamp does not hold.
        case unauthenticated
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// True when sending again cannot help.
    public var isPermanent: Bool { kind != .undelivered }

    public var errorCode: String { "webhook.\(kind.rawValue)" }

    public var description: String { message }
}
