import AudioTesting
import CallAudio
import CallAudioJobs
import CallAudioServer
import CallMailSMTP
import CallRecordings
import CallVoicemail
import Foundation
import Hummingbird
import HummingbirdTesting
import Jobs
import MailTesting
import Testing

/// Ingest beyond plain uploads: legs named by path in the configured ingest folder, and voicemails that are
/// emailed (to a real SMTP server, aiosmtpd with STARTTLS and AUTH) as well as kept for the player.
@Suite struct IngestTests {
    static let smtpServer = Result { try SMTPTestServer(startTLS: true) }
    static let voicemail = Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac")

    /// A harness whose ingest folder holds the two test legs as `c-1/leg1.wav` and `c-1/leg2.wav`, and a file
    /// outside that folder (`outside.wav`) with a symlink to it inside (`c-1/link.wav`).
    private func harnessWithIngestFolder() async throws -> (ServiceHarness, ingest: URL) {
        let scratch = try Fixtures.scratchFolder("callaudio-ingest")
        let ingest = scratch.appendingPathComponent("spool")
        let call = ingest.appendingPathComponent("c-1")
        try FileManager.default.createDirectory(at: call, withIntermediateDirectories: true)
        let harness = try await ServiceHarness(ingestFolder: ingest)
        for leg in try harness.legs() {
            try FileManager.default.copyItem(at: leg, to: call.appendingPathComponent(leg.lastPathComponent))
        }
        let outside = scratch.appendingPathComponent("outside.wav")
        try FileManager.default.copyItem(at: call.appendingPathComponent("leg1.wav"), to: outside)
        try FileManager.default.createSymbolicLink(
            at: call.appendingPathComponent("link.wav"), withDestinationURL: outside)
        return (harness, ingest)
    }

    @Test func legsNamedInTheIngestFolderAreCopiedInAndTheFolderIsLeftAlone() async throws {
        let (harness, ingest) = try await harnessWithIngestFolder()
        let before = try Data(contentsOf: ingest.appendingPathComponent("c-1/leg1.wav"))
        try await harness.app.test(.router) { client in
            var form = Multipart()
            form.field("leg1", "c-1/leg1.wav")
            form.field("leg2", "c-1/leg2.wav")
            form.field("offsets", "2=1.5")
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            let id = try response.json(Accepted.self).id
            try await harness.runJobs()
            let resource = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
            ).json(RecordingResource.self)
            #expect(resource.status == "ready")
            #expect(abs((resource.duration ?? 0) - 3.5) < 0.05)  // leg 2 (2 s) starts at 1.5 s
            #expect(try harness.storageListing().contains("recordings/\(id)/leg2.wav"))

            let deleted = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .delete, headers: ServiceHarness.authorized)
            #expect(deleted.status == .noContent)
        }
        // The platform's files are its own: copied from, never moved or removed.
        #expect(try Data(contentsOf: ingest.appendingPathComponent("c-1/leg1.wav")) == before)
        #expect(FileManager.default.fileExists(atPath: ingest.appendingPathComponent("c-1/leg2.wav").path))
    }

    @Test(arguments: [
        "../outside.wav", "c-1/../../outside.wav", "%2e%2e/outside.wav", "c-1/%2E%2E/../outside.wav",
        "/etc/passwd", "c-1/link.wav", "c-1", "c-1/missing.wav", "",
    ])
    func aPathThatLeavesTheIngestFolderOrNamesNoFileIsRefused(path: String) async throws {
        let (harness, _) = try await harnessWithIngestFolder()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            form.field("leg1", path)
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("leg1"))
            #expect(!String(buffer: response.body).contains("passwd"))
        }
        #expect(try harness.storageListing() == ["recordings", "uploads"])
        #expect(try await harness.queue.jobs(status: nil, limit: 10).isEmpty)
    }

    @Test func aServiceWithoutAnIngestFolderTakesNoPaths() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            var form = Multipart()
            form.field("leg1", "c-1/leg1.wav")
            let response = try await client.execute(
                uri: "/v1/calls", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("serve --ingest"))
        }
        #expect(try harness.storageListing() == ["recordings", "uploads"])
    }

    /// The fields of an emailed voicemail, as `callaudio voicemail`'s flags.
    private func voicemailForm(to recipient: String) throws -> Multipart {
        var form = Multipart()
        try form.file("file", Self.voicemail)
        form.field("call_id", "vm-\(recipient)")
        form.field("to", recipient)
        form.field("from", "voicemail@example.com")
        form.field("caller_number", "+15551234567")
        form.field("caller_name", "Zoë Müller")
        form.field("mailbox", "Sales")
        form.field("received", "2026-11-22T09:12:00-05:00")
        form.field("denoise", "moderate")
        return form
    }

    @Test func anEmailedVoicemailIsSentOnceAndPlaysFromTheSameMP3() async throws {
        let server = try Self.smtpServer.get()
        let mail = try SMTPDestination(url: "smtp://vm@localhost:\(server.port)", caFile: server.certificate)
        let harness = try await ServiceHarness(mail: mail)
        let recipient = "sales-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        try await harness.app.test(.router) { client in
            let form = try voicemailForm(to: recipient)
            let response = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .accepted, "\(String(buffer: response.body))")
            let id = try response.json(Accepted.self).id
            try await harness.runJobs(runner: AudioJobRunner(environment: ["CALLAUDIO_SMTP_PASSWORD": "s3cret"]))

            let resource = try await client.execute(
                uri: "/v1/recordings/\(id)", method: .get, headers: ServiceHarness.authorized
            ).json(RecordingResource.self)
            #expect(resource.status == "ready")
            #expect(resource.email?.status == "sent", "\(String(describing: resource.email))")
            #expect(resource.email?.to == [recipient])
            #expect(resource.outputs.contains("voicemail.mp3"))
            let folder = harness.storage.appendingPathComponent("recordings/\(id)")
            let report = try #require(VoicemailReport.read(in: folder.path))
            #expect(resource.duration == report.audio.duration)
            #expect(resource.email?.messageID == report.email.messageID)

            let messages = try server.messages(to: recipient)
            #expect(messages.count == 1)
            let email = try ParsedEmail.parse(try #require(messages.first))
            #expect(email.value("Message-ID") == "<\(report.email.messageID)>")
            #expect(email.text?.contains("Zoë Müller") == true)
            // The player plays the very MP3 the email carries, and draws its seek bar from its peaks.
            let audio = try await client.execute(uri: resource.audioURL, method: .get)
            #expect(audio.status == .ok)
            #expect(audio.data == email.attachment?.data)
            let waveform = try await client.execute(uri: resource.waveformURL, method: .get)
            #expect(waveform.status == .ok)
            let peaks = try JSONSerialization.jsonObject(with: waveform.data) as? [String: Any]
            #expect(peaks?["channels"] as? Int == 1)
            let download = try await client.execute(uri: resource.audioURL + "&download=1", method: .get)
            #expect(download.headers[.contentDisposition]?.contains("voicemail-vm-\(recipient).mp3") == true)

            let job = try #require(
                try await harness.queue.jobs(status: nil, limit: 10).first { $0.kind == JobKind.voicemail.rawValue })
            #expect(!"\(job)".contains("s3cret"))
        }
    }

    @Test(arguments: [
        ("from", "", "from"), ("bitrate", "99", "bitrate"), ("received", "yesterday", "received"),
        ("time_zone", "Mars/Olympus", "time_zone"), ("to", "not an address", "to"),
    ])
    func anEmailedVoicemailWithABadFieldIsRefusedByName(field: String, value: String, named: String) async throws {
        let server = try Self.smtpServer.get()
        let harness = try await ServiceHarness(
            mail: try SMTPDestination(url: "smtp://vm@localhost:\(server.port)", caFile: server.certificate))
        try await harness.app.test(.router) { client in
            var form = try voicemailForm(to: "a@example.com")
            form.field(field, value)  // a repeated field: the last one counts
            let response = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains(named), "\(String(buffer: response.body))")
        }
        #expect(try harness.storageListing() == ["recordings", "uploads"])
    }

    @Test func aServiceWithoutAMailServerRefusesRecipients() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            let form = try voicemailForm(to: "a@example.com")
            let response = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: form.headers, body: form.buffer)
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("serve --smtp"))
        }
        #expect(try harness.storageListing() == ["recordings", "uploads"])
    }

    @Test func jobsAreKeyedAsJobsListFindsThemByTheCallID() async throws {
        let harness = try await ServiceHarness()
        try await harness.app.test(.router) { client in
            _ = try await harness.ingestAndProcess(client: client, callID: "4711")
            var voicemail = Multipart()
            try voicemail.file("file", try harness.legs()[0])
            voicemail.field("call_id", "4711")
            let accepted = try await client.execute(
                uri: "/v1/voicemails", method: .post, headers: voicemail.headers, body: voicemail.buffer)
            #expect(accepted.status == .accepted)
            var anonymous = Multipart()
            try anonymous.file("leg1", try harness.legs()[0])
            let unnamed = try await client.execute(
                uri: "/v1/calls", method: .post, headers: anonymous.headers, body: anonymous.buffer)
            let unnamedID = try unnamed.json(Accepted.self).id
            // `jobs list --key K` is this filter.
            func kinds(key: String) async throws -> [String] {
                try await harness.queue.jobs(matching: JobFilter(key: key), limit: 10).map(\.kind)
            }
            #expect(try await kinds(key: "4711") == [JobKind.call.rawValue])
            #expect(try await kinds(key: "voicemail:4711") == [JobKind.voicemail.rawValue])
            #expect(try await kinds(key: "recording:\(unnamedID)") == [JobKind.call.rawValue])
        }
    }
}
