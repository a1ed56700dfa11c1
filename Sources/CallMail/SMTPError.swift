import AudioCore

/// Why a message was not delivered, in words fit for logs and job results: never a password.
public enum SMTPError: ClassifiedError, Sendable, Equatable {
    /// The server refused with this reply at this step (`MAIL FROM`, `DATA`, ...).
    case rejected(step: String, reply: SMTPReply)
    /// STARTTLS was required and the server does not offer it; nothing was sent in clear.
    case startTLSUnavailable
    /// The server offers none of the AUTH mechanisms this client speaks (PLAIN, LOGIN).
    case noUsableAuthMechanism(offered: [String])
    /// The message is larger than the SIZE the server announced.
    case messageTooLarge(bytes: Int, limit: Int)
    /// The server broke the protocol (a malformed reply, a reply when none was due).
    case protocolViolation(String)
    /// The connection closed or timed out before the message was accepted.
    case connectionLost(String)

    /// False when sending again later may succeed: 4xx replies, lost connections and timeouts.
    public var isPermanent: Bool {
        switch self {
        case .rejected(_, let reply): !reply.isTransient
        case .connectionLost: false
        case .startTLSUnavailable, .noUsableAuthMechanism, .messageTooLarge, .protocolViolation: true
        }
    }

    /// `smtp.unavailable` for what may pass, `smtp.rejected` for what will not.
    public var errorCode: String { isPermanent ? "smtp.rejected" : "smtp.unavailable" }

    public var message: String { description }

    public var description: String {
        switch self {
        case .rejected(let step, let reply): "the SMTP server refused \(step): \(reply)"
        case .startTLSUnavailable:
            "the SMTP server does not offer STARTTLS, which is required; nothing was sent"
        case .noUsableAuthMechanism(let offered):
            "the SMTP server offers no AUTH mechanism this client speaks (offered: \(offered.joined(separator: " ")))"
        case .messageTooLarge(let bytes, let limit):
            "the message (\(bytes) bytes) exceeds the SMTP server's limit of \(limit) bytes"
        case .protocolViolation(let problem): "SMTP protocol error: \(problem)"
        case .connectionLost(let problem): "the SMTP connection was lost: \(problem)"
        }
    }
}
