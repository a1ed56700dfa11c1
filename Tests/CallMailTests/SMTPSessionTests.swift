import Foundation
import Testing

@testable import CallMail

/// The SMTP client's state machine driven by hand, reply by reply, with no network.
@Suite struct SMTPSessionTests {
    static let message = Data("Subject: hi\r\n\r\n.hidden line\r\nlast".utf8)

    static func session(encrypted: Bool = false, requireStartTLS: Bool = true, message: Data = message)
        -> SMTPSession
    {
        SMTPSession(
            clientName: "vm.example.com", encrypted: encrypted, requireStartTLS: requireStartTLS,
            credentials: .init(username: "vm", password: "s3cret"), sender: "voicemail@example.com",
            recipients: ["a@example.com", "b@example.com"], message: message)
    }

    static func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, lines: lines) }

    static let ehloWithTLS = reply(250, "mail.example.com", "SIZE 10000", "STARTTLS", "AUTH PLAIN LOGIN")
    static let ehloAfterTLS = reply(250, "mail.example.com", "SIZE 10000", "AUTH LOGIN PLAIN")

    @Test func aWholeSubmissionWithSTARTTLSAndAUTHPLAIN() {
        var session = Self.session()
        #expect(session.receive(Self.reply(220, "mail.example.com ESMTP")) == .send("EHLO vm.example.com"))
        #expect(session.receive(Self.ehloWithTLS) == .send("STARTTLS"))
        #expect(session.receive(Self.reply(220, "go ahead")) == .startTLS)
        #expect(session.tlsEstablished() == .send("EHLO vm.example.com"))
        #expect(session.receive(Self.ehloAfterTLS) == .sendSecret("AUTH PLAIN AHZtAHMzY3JldA=="))
        #expect(session.receive(Self.reply(235, "ok")) == .send("MAIL FROM:<voicemail@example.com> SIZE=33"))
        #expect(session.receive(Self.reply(250, "ok")) == .send("RCPT TO:<a@example.com>"))
        #expect(session.receive(Self.reply(250, "ok")) == .send("RCPT TO:<b@example.com>"))
        #expect(session.receive(Self.reply(250, "ok")) == .send("DATA"))
        #expect(
            session.receive(Self.reply(354, "go"))
                == .sendData(Data("Subject: hi\r\n\r\n..hidden line\r\nlast\r\n.\r\n".utf8)))
        #expect(
            session.receive(Self.reply(250, "2.0.0 queued as 42")) == .delivered(Self.reply(250, "2.0.0 queued as 42")))
    }

    @Test func noSTARTTLSWhenItIsRequiredStopsBeforeAnythingButEHLO() {
        var session = Self.session()
        _ = session.receive(Self.reply(220, "hi"))
        #expect(session.receive(Self.reply(250, "mail.example.com", "AUTH PLAIN")) == .failed(.startTLSUnavailable))
        #expect(SMTPError.startTLSUnavailable.isPermanent)
    }

    @Test func authLoginWhenPlainIsNotOffered() {
        var session = Self.session(encrypted: true)
        _ = session.receive(Self.reply(220, "hi"))
        #expect(session.receive(Self.reply(250, "x", "AUTH LOGIN")) == .sendSecret("AUTH LOGIN dm0="))
        #expect(session.receive(Self.reply(334, "UGFzc3dvcmQ6")) == .sendSecret("czNjcmV0"))
        #expect(
            session.receive(Self.reply(535, "5.7.8 bad credentials"))
                == .failed(.rejected(step: "the login", reply: Self.reply(535, "5.7.8 bad credentials"))))
    }

    @Test func repliesDecideTransientOrPermanentAndErrorsKeepTheServersWordsButNoPassword() {
        var session = Self.session(encrypted: true)
        _ = session.receive(Self.reply(220, "hi"))
        _ = session.receive(Self.ehloAfterTLS)
        _ = session.receive(Self.reply(235, "ok"))
        guard case .failed(let error) = session.receive(Self.reply(451, "4.3.0 try again later")) else {
            Issue.record("a 451 must fail the session")
            return
        }
        #expect(!error.isPermanent)
        #expect(error.description == "the SMTP server refused the sender: 451 4.3.0 try again later")
        let permanent = SMTPError.rejected(step: "DATA", reply: Self.reply(550, "5.7.1 rejected"))
        #expect(permanent.isPermanent)
        #expect(!permanent.description.contains("s3cret"))
        #expect(!SMTPError.connectionLost("closed during DATA").isPermanent)
    }

    @Test func aMessageOverTheAnnouncedSizeIsRefusedBeforeSending() {
        var session = Self.session(encrypted: true, message: Data(count: 20_000))
        _ = session.receive(Self.reply(220, "hi"))
        #expect(session.receive(Self.ehloAfterTLS) == .failed(.messageTooLarge(bytes: 20_000, limit: 10_000)))
    }

    @Test func multiLineRepliesAreCollectedAndGarbageIsAProtocolError() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.take("250-mail.example.com") == nil)
        #expect(try parser.take("250-SIZE 100") == nil)
        #expect(try parser.take("250 STARTTLS") == Self.reply(250, "mail.example.com", "SIZE 100", "STARTTLS"))
        #expect(try parser.take("354") == Self.reply(354, ""))
        #expect(throws: SMTPError.self) { try parser.take("hello") }
        #expect(throws: SMTPError.self) { try parser.take("999 nope") }
    }
}
