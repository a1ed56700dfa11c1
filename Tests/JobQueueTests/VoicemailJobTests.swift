import AudioTesting
import CallVoicemail
import Foundation
import MailTesting
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// A voicemail queued with `callaudio voicemail --queue`, run by a real worker process and sent to a real SMTP
/// server (aiosmtpd with STARTTLS and AUTH, Tests/Scripts/smtp_server.py), checked on the bytes it stored.
extension WorkerProcessTests {
    static let smtpServer = Result { try SMTPTestServer(startTLS: true) }

    /// Queues the bundled sample voicemail for `recipient` and returns the job id.
    func queueVoicemail(to recipient: String, into output: URL, on location: String, smtp: String) throws
        -> ExternalTool.Run
    {
        let server = try Self.smtpServer.get()
        return try ExternalTool.run(
            Self.binary,
            [
                "voicemail", Self.samples.deletingLastPathComponent().appendingPathComponent("voicemail.flac").path,
                "--to", recipient, "--from", "voicemail@example.com", "--caller-number", "+15551234567",
                "--caller-name", "Zoë Müller", "--denoise", "moderate", "--smtp", smtp, "--smtp-ca-file",
                server.certificate, "--output", output.path, "--queue", location,
            ])
    }

    @Test func aQueuedVoicemailRetriesATemporaryRefusalAndIsSentOnceWithoutReencoding() async throws {
        let server = try Self.smtpServer.get()
        try await withScratchFolder("callaudio-voicemail-job") { folder async throws in
            let output = folder.appendingPathComponent("vm")
            try await StoreKind.sqlite.withQueue { queue, location in
                let withPassword = try queueVoicemail(
                    to: "tempfail@example.com", into: output, on: location,
                    smtp: "smtp://vm:s3cret@localhost:\(server.port)")
                #expect(withPassword.status == 64)
                #expect(withPassword.stderr.contains("CALLAUDIO_SMTP_PASSWORD"))
                #expect(!withPassword.stderr.contains("s3cret"))

                let queued = try queueVoicemail(
                    to: "tempfail@example.com", into: output, on: location, smtp: "smtp://vm@localhost:\(server.port)")
                #expect(queued.status == 0, "\(queued.stderr)")
                let id = try #require(Int64(queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
                let workers = try startWorkers(
                    1, on: location, in: folder, extra: ["--workers", "1"],
                    environment: ["CALLAUDIO_SMTP_PASSWORD": "s3cret"])
                try await eventually(timeout: .seconds(180), "the voicemail job done") {
                    try await queue.job(id)?.status.isFinal == true
                }
                stop(workers)
                let job = try #require(try await queue.job(id))
                #expect(job.status == .succeeded, "\(String(describing: job.failure))")
                #expect(job.kind == JobKind.voicemail.rawValue)
                #expect(job.attempts == 2)
                let history = try await queue.history(of: id)
                #expect(history.contains { $0.detail?.contains("451") == true })
                // The retry only sent: the audio, transcript and email of the first attempt stood.
                #expect(job.result?.stages.map(\.stage) == ["send"])
                guard case .voicemail(let report)? = try job.result?.audioReport else {
                    Issue.record("no voicemail report in the result")
                    return
                }
                #expect(report.delivery?.status == .sent)
                #expect(report.delivery?.reply?.hasPrefix("250") == true)
                let received = try server.messages(to: "tempfail@example.com")
                #expect(received.count == 1)
                #expect(received.first == (try Data(contentsOf: output.appendingPathComponent("voicemail.eml"))))
                let parsed = try ParsedEmail.parse(try #require(received.first))
                #expect(parsed.value("Message-ID") == "<\(report.email.messageID)>")
                #expect(
                    parsed.attachment?.data == (try Data(contentsOf: output.appendingPathComponent("voicemail.mp3"))))
                let stored = String(decoding: try JSONEncoder().encode(job), as: UTF8.self)
                #expect(!stored.contains("s3cret"))
            }
        }
    }

    @Test func aQueuedVoicemailThatTheServerRefusesEndsDeadInTheServersWords() async throws {
        let server = try Self.smtpServer.get()
        try await withScratchFolder("callaudio-voicemail-job") { folder async throws in
            let output = folder.appendingPathComponent("vm")
            try await StoreKind.sqlite.withQueue { queue, location in
                let queued = try queueVoicemail(
                    to: "reject@example.com", into: output, on: location, smtp: "smtp://vm@localhost:\(server.port)")
                let id = try #require(
                    Int64(queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(queued.stderr)")
                let workers = try startWorkers(
                    1, on: location, in: folder, extra: ["--workers", "1"],
                    environment: ["CALLAUDIO_SMTP_PASSWORD": "s3cret"])
                try await eventually(timeout: .seconds(180), "the voicemail job final") {
                    try await queue.job(id)?.status.isFinal == true
                }
                stop(workers)
                let job = try #require(try await queue.job(id))
                #expect(job.status == .dead)
                #expect(job.attempts == 1)
                #expect(job.failure?.isPermanent == true)
                #expect(job.failure?.code == "smtp.rejected")
                #expect(job.failure?.message.contains("550") == true)
                #expect(try server.messages(to: "reject@example.com").isEmpty)
                #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("voicemail.eml").path))
            }
        }
    }
}
