import CallMail
import CallMailSMTP
import Foundation
import MailTesting
import Testing

/// Delivery to a real SMTP server (aiosmtpd, STARTTLS, AUTH) on loopback, checked on the bytes it received.
@Suite(.serialized) struct SMTPDeliveryTests {
    static let server = Result { try SMTPTestServer(startTLS: true) }
    static let clearServer = Result { try SMTPTestServer(startTLS: false) }

    static let audio = Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })

    static func message(to recipient: String) throws -> Data {
        let email = VoicemailEmail(
            from: try MailAddress("voicemail@example.com", field: "from"), to: [try MailAddress(recipient, field: "to")]
        )
        let voicemail = Voicemail(
            callerNumber: "+15551234567", callerName: "Zoë Müller", mailbox: "Sales", received: Date(),
            timeZone: TimeZone(identifier: "UTC")!, duration: 42, transcript: "Bitte rufen Sie zurück.")
        return email.message(for: voicemail, audio: audio).rendered()
    }

    /// A sender with a patient timeout: its clock runs on the event loop while its replies are read on Swift
    /// concurrency's threads, which the rest of the suite on two cores can keep busy for minutes.
    static func sender(_ server: SMTPTestServer) throws -> SMTPSender {
        SMTPSender(
            server: try SMTPServerURL("smtp://vm:s3cret@localhost:\(server.port)"),
            trustedCertificates: server.certificate, timeout: .seconds(300))
    }

    /// The error `body` throws, as an `SMTPError`.
    static func smtpError(_ body: () async throws -> Void) async -> SMTPError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? SMTPError
        }
    }

    @Test func deliversOverSTARTTLSWithAuthAndTheServerReceivesTheExactAttachment() async throws {
        let server = try Self.server.get()
        let reply = try await Self.sender(server).send(
            try Self.message(to: "user@example.com"), from: "voicemail@example.com", to: ["user@example.com"])
        #expect(reply.code == 250)
        let received = try server.messages(to: "user@example.com")
        #expect(received.count == 1)
        let parsed = try ParsedEmail.parse(try #require(received.first))
        #expect(parsed.defects.isEmpty)
        #expect(parsed.tree == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "audio/mpeg"])
        #expect(parsed.attachment?.data == Self.audio)
        #expect(parsed.value("Subject") == "New voicemail from Zoë Müller (+1 555-123-4567), 0:42")
        #expect(parsed.text?.contains("Bitte rufen Sie zurück.") == true)
        #expect(parsed.html?.contains("Bitte rufen Sie zurück.") == true)
    }

    @Test func a451IsTransientAndTheRetryDeliversOneMessage() async throws {
        let server = try Self.server.get()
        let message = try Self.message(to: "tempfail@example.com")
        let first = await Self.smtpError {
            _ = try await Self.sender(server).send(message, from: "voicemail@example.com", to: ["tempfail@example.com"])
        }
        #expect(first?.isPermanent == false)
        #expect(first?.description.contains("451 4.3.0 Try again later") == true)
        let reply = try await Self.sender(server).send(
            message, from: "voicemail@example.com", to: ["tempfail@example.com"])
        #expect(reply.code == 250)
        #expect(try server.messages(to: "tempfail@example.com").count == 1)
    }

    @Test func a550IsPermanentWithTheServersWords() async throws {
        let server = try Self.server.get()
        let error = await Self.smtpError {
            _ = try await Self.sender(server).send(
                try Self.message(to: "reject@example.com"), from: "voicemail@example.com", to: ["reject@example.com"])
        }
        #expect(error?.isPermanent == true)
        #expect(error?.description == "the SMTP server refused the message: 550 5.7.1 Message rejected by policy")
    }

    @Test func aConnectionDroppedDuringDATAIsTransient() async throws {
        let server = try Self.server.get()
        let error = await Self.smtpError {
            _ = try await Self.sender(server).send(
                try Self.message(to: "drop@example.com"), from: "voicemail@example.com", to: ["drop@example.com"])
        }
        #expect(error?.isPermanent == false)
        #expect(try server.messages(to: "drop@example.com").isEmpty)
    }

    @Test func aServerWithoutSTARTTLSGetsNothingInClear() async throws {
        let server = try Self.clearServer.get()
        let error = await Self.smtpError {
            _ = try await Self.sender(server).send(
                try Self.message(to: "user@example.com"), from: "voicemail@example.com", to: ["user@example.com"])
        }
        #expect(error == .startTLSUnavailable)
        #expect(try server.messages(to: "user@example.com").isEmpty)
    }

    @Test func aLoopbackRelayWithoutTLSTakesMailOnlyWhenAskedExplicitly() async throws {
        let server = try Self.clearServer.get()
        let message = try Self.message(to: "relay@example.com")
        let relay = SMTPSender(
            server: try SMTPServerURL("smtp+plaintext://vm:s3cret@127.0.0.1:\(server.port)"), timeout: .seconds(300))
        #expect(relay.destination == "smtp+plaintext://vm@127.0.0.1:\(server.port)")
        _ = try await relay.send(message, from: "voicemail@example.com", to: ["relay@example.com"])
        #expect(try server.messages(to: "relay@example.com") == [message])
        for host in ["mail.example.com", "10.0.0.5", "127.0.0.1.example.com"] {
            #expect(throws: SMTPError.self) { try SMTPServerURL("smtp+plaintext://\(host):25") }
        }
        #expect(try SMTPServerURL("smtp+plaintext://localhost").port == 25)
    }

    @Test func theURLsDescriptionHidesThePassword() throws {
        let url = try SMTPServerURL("smtp://vm:s3cret@mail.example.com")
        #expect(url.description == "smtp://vm@mail.example.com:587")
        #expect(try SMTPServerURL("smtps://vm@mail.example.com", environmentPassword: "p").credentials?.password == "p")
    }
}
