import AudioTesting
import CallVoicemail
import Foundation
import MailTesting
import Testing

/// `voicemail --smtp` through the real binary against a real SMTP server (aiosmtpd with STARTTLS and AUTH,
/// trusted through `--smtp-ca-file`), checked on the bytes the server stored.
@Suite struct VoicemailSendingTests {
    static let server = Result { try SMTPTestServer(startTLS: true) }

    /// Runs `voicemail` on the bundled sample for `recipient` through `smtp`, with `environment` added.
    static func send(
        to recipient: String, smtp: (Int) -> String, environment: [String: String] = [:]
    ) async throws -> (result: CLIRunner.Result, folder: URL) {
        let server = try Self.server.get()
        let folder = try Fixtures.scratchFolder()
        let result = try await CLIRunner.run(
            [
                "voicemail", VoicemailCommandTests.sample.path, "--to", recipient, "--from", "voicemail@example.com",
                "--caller-number", "+15551234567", "--caller-name", "Zoë Müller", "--denoise", "moderate",
                "--smtp", smtp(server.port), "--smtp-ca-file", server.certificate, "--output", folder.path, "--json",
            ], environment: environment)
        return (result, folder)
    }

    static func report(in folder: URL) throws -> VoicemailReport {
        try JSONDecoder.iso8601.decode(
            VoicemailReport.self, from: Data(contentsOf: folder.appendingPathComponent("voicemail.json")))
    }

    @Test func sendsTheWrittenEmailOverSTARTTLSWithThePasswordFromTheEnvironment() async throws {
        let recipient = "sales-team@example.com"
        let (result, folder) = try await Self.send(
            to: recipient, smtp: { "smtp://vm@localhost:\($0)" }, environment: ["CALLAUDIO_SMTP_PASSWORD": "s3cret"])
        #expect(result.status == 0, "\(result.stderr)")
        let received = try Self.server.get().messages(to: recipient)
        #expect(received.count == 1)
        let eml = try Data(contentsOf: folder.appendingPathComponent("voicemail.eml"))
        #expect(received.first == eml, "the server stored voicemail.eml byte for byte")
        let parsed = try ParsedEmail.parse(try #require(received.first))
        #expect(parsed.defects.isEmpty)
        #expect(parsed.attachment?.data == (try Data(contentsOf: folder.appendingPathComponent("voicemail.mp3"))))
        let report = try Self.report(in: folder)
        #expect(report.delivery?.status == .sent)
        #expect(report.delivery?.reply?.hasPrefix("250") == true)
        #expect(report.delivery?.server.hasPrefix("smtp://vm@localhost:") == true)
        let everything =
            result.stdout + result.stderr + String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!everything.contains("s3cret"))
    }

    @Test func aWrongPasswordIsPermanentIsReportedInTheServersWordsAndNeverShown() async throws {
        let recipient = "wrong-password@example.com"
        let (result, folder) = try await Self.send(
            to: recipient, smtp: { "smtp://vm:not-the-password@localhost:\($0)" })
        #expect(result.status == 69, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("535"))
        #expect(!(result.stdout + result.stderr).contains("not-the-password"))
        #expect(try Self.server.get().messages(to: recipient).isEmpty)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("voicemail.eml").path))
        let report = try Self.report(in: folder)
        #expect(report.delivery?.status == .failed)
        #expect(report.delivery?.isTransient == false)
        #expect(report.delivery?.error?.contains("not-the-password") == false)
    }

    @Test func aTemporaryRefusalExitsTempfailAndTheRetryDeliversOnce() async throws {
        let recipient = "tempfail@example.com"
        let smtp: (Int) -> String = { "smtp://vm:s3cret@localhost:\($0)" }
        let (first, folder) = try await Self.send(to: recipient, smtp: smtp)
        #expect(first.status == 75, "\(first.stderr)")
        #expect(first.stderr.contains("451"))
        #expect(try Self.report(in: folder).delivery?.isTransient == true)
        #expect(try Self.server.get().messages(to: recipient).isEmpty)
        let (second, _) = try await Self.send(to: recipient, smtp: smtp)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Self.server.get().messages(to: recipient).count == 1)
    }

    @Test func aMalformedServerURLIsAUsageErrorBeforeAnyWork() async throws {
        try await withScratchFolder { folder async throws in
            let result = try await CLIRunner.run([
                "voicemail", VoicemailCommandTests.sample.path, "--to", "a@example.com", "--from", "b@example.com",
                "--caller-number", "+15551234567", "--smtp", "http://mail.example.com", "--output", folder.path,
            ])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--smtp"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }
}
