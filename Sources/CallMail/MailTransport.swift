import Foundation

/// What delivers a finished message: an SMTP submission (`SMTPSender` in `CallMailSMTP`, on SwiftNIO), or any
/// other transport. The voicemail core sends through this protocol and so compiles no network code.
public protocol MailTransport: Sendable {
    /// Where the messages go, as reports name it (`smtp://mail.example.com:587`), never with a password.
    var destination: String { get }

    /// Sends `message` from `sender` to `recipients`; returns the reply accepting it.
    /// - Throws: `SMTPError` when the transport refused or failed, with whether a retry may succeed.
    func send(_ message: Data, from sender: String, to recipients: [String]) async throws -> SMTPReply
}
