import ArgumentParser
import CallMail
import CallMailSMTP
import CallVoicemail
import Foundation

/// `--smtp` and `--smtp-ca-file`: where `voicemail` sends its email, and the outcome of sending it.
public struct SMTPOptions: ParsableArguments {
    public init() {}

    @Option(
        help: ArgumentHelp(
            """
            Send the email through this server: smtp://user[:pass]@host:587 (STARTTLS required) or \
            smtps://user[:pass]@host:465 (TLS from the start), or smtp+plaintext://localhost:25 for a local relay \
            without TLS (a loopback address only). Without a password in the URL, it is read from \
            \(SMTPSender.passwordVariable).
            """, valueName: "URL"))
    public var smtp: String?

    @Option(
        name: .customLong("smtp-ca-file"),
        help: ArgumentHelp(
            "Trust the mail server's certificate only if this PEM file's certificates sign it (a private CA), "
                + "instead of the system's trust store.", valueName: "PEM"))
    public var smtpCAFile: String?

    public func validate() throws {
        if smtp == nil, smtpCAFile != nil { throw ValidationError("--smtp-ca-file needs --smtp.") }
        _ = try sender()
        if let smtpCAFile, !FileManager.default.isReadableFile(atPath: smtpCAFile) {
            throw ValidationError("--smtp-ca-file: \(smtpCAFile) cannot be read.")
        }
    }

    /// The server as a queued job stores it: refused with a password in the URL (the job would keep it; workers
    /// read it from the environment). Nil without `--smtp`.
    public func destination() throws -> SMTPDestination? {
        do {
            return try smtp.map {
                try SMTPDestination(
                    url: $0, caFile: smtpCAFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            }
        } catch {
            throw ValidationError("--smtp: \(error)")
        }
    }

    /// The sender `--smtp` describes, or nil without it.
    public func sender() throws -> SMTPSender? {
        guard let smtp else { return nil }
        do {
            return try SMTPSender(url: smtp, trustedCertificates: smtpCAFile)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
