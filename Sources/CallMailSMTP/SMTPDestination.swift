import Foundation

/// A mail server as a job stores it: never with a password, which each worker reads from
/// `CALLAUDIO_SMTP_PASSWORD`.
public struct SMTPDestination: Sendable, Equatable, Codable {
    /// `smtp://user@host:587` or `smtps://user@host:465`.
    public var url: String
    /// A PEM file of the private CA that signs the server's certificate, on the workers' machines.
    public var caFile: String?

    /// - Throws: `SMTPError` for a URL that is not a mail server's; `PasswordInURL` for one that holds a
    ///   password (it would be stored in the queue for anyone who can read it).
    public init(url: String, caFile: String? = nil) throws {
        _ = try SMTPServerURL(url)
        if URLComponents(string: url)?.password?.isEmpty == false { throw PasswordInURL() }
        self.url = url
        self.caFile = caFile
    }

    public struct PasswordInURL: Error, CustomStringConvertible {
        public var description: String {
            "a queued voicemail's SMTP URL must not hold the password: set \(SMTPSender.passwordVariable) on the workers"
        }
    }

    /// The sender, with the password from this machine's environment.
    public func sender(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SMTPSender {
        try SMTPSender(url: url, trustedCertificates: caFile, environment: environment)
    }
}
