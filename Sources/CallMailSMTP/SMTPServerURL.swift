import CallMail
import Foundation

/// Where and how to submit mail, from `smtp://user:pass@host:587` (STARTTLS required) or
/// `smtps://user:pass@host:465` (TLS from the first byte). The password may instead come from an environment
/// variable, so it stays out of command lines and job JSON; `description` never shows it.
///
/// `smtp+plaintext://localhost:25` asks, explicitly, for no TLS at all: a local relay (Postfix listening on
/// localhost:25) commonly offers none. It is taken only for a loopback address, where nothing crosses a network.
public struct SMTPServerURL: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// TLS from the first byte (smtps) rather than STARTTLS after the greeting.
    public var implicitTLS: Bool
    /// No TLS at all (smtp+plaintext, loopback only).
    public var plaintext: Bool
    public var credentials: SMTPSession.Credentials?

    /// Parses `text`; `environmentPassword` is used when the URL names a user but no password.
    public init(_ text: String, environmentPassword: String? = nil) throws(SMTPError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            ["smtp", "smtps", "smtp+plaintext"].contains(scheme), let host = url.host, !host.isEmpty
        else {
            throw SMTPError.protocolViolation(
                "--smtp: expected smtp://[user[:password]@]host[:port], smtps://... or smtp+plaintext://localhost:25")
        }
        self.host = host
        implicitTLS = scheme == "smtps"
        plaintext = scheme == "smtp+plaintext"
        if plaintext, !Self.isLoopback(host) {
            throw SMTPError.protocolViolation(
                "--smtp: smtp+plaintext:// sends mail without TLS and so only to a loopback address (localhost, "
                    + "127.0.0.1, ::1), not \(host)")
        }
        port = url.port ?? (implicitTLS ? 465 : plaintext ? 25 : 587)
        if let user = url.user?.removingPercentEncoding, !user.isEmpty {
            let password = url.password?.removingPercentEncoding ?? environmentPassword ?? ""
            credentials = SMTPSession.Credentials(username: user, password: password)
        }
    }

    /// `smtp://vm@mail.example.com:587`: no password.
    public var description: String {
        let scheme = implicitTLS ? "smtps" : plaintext ? "smtp+plaintext" : "smtp"
        return "\(scheme)://\(credentials.map { "\($0.username)@" } ?? "")\(host):\(port)"
    }

    /// `localhost`, 127.0.0.0/8 or ::1: addresses that never leave this machine.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
