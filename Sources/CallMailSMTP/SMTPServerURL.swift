import CallMail
import Foundation

/// Where and how to submit mail, from `smtp://user:pass@host:587` (STARTTLS required) or
/// `smtps://user:pass@host:465` (TLS from the first byte). The password may instead come from an environment
/// variable, so it stays out of command lines and job JSON; `description` never shows it.
public struct SMTPServerURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// TLS from the first byte (smtps) rather than STARTTLS after the greeting.
    public var implicitTLS: Bool
    public var credentials: SMTPSession.Credentials?

    /// Parses `text`; `environmentPassword` is used when the URL names a user but no password.
    public init(_ text: String, environmentPassword: String? = nil) throws(SMTPError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "smtp" || scheme == "smtps", let host = url.host, !host.isEmpty
        else {
            throw SMTPError.protocolViolation("--smtp: expected smtp://[user[:password]@]host[:port] or smtps://...")
        }
        self.host = host
        implicitTLS = scheme == "smtps"
        port = url.port ?? (implicitTLS ? 465 : 587)
        if let user = url.user?.removingPercentEncoding, !user.isEmpty {
            let password = url.password?.removingPercentEncoding ?? environmentPassword ?? ""
            credentials = SMTPSession.Credentials(username: user, password: password)
        }
    }

    /// `smtp://vm@mail.example.com:587`: no password.
    public var description: String {
        "\(implicitTLS ? "smtps" : "smtp")://\(credentials.map { "\($0.username)@" } ?? "")\(host):\(port)"
    }
}
