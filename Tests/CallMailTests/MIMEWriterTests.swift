import Foundation
import MailTesting
import Testing

@testable import CallMail

@Suite("MIME writer, read back by Python's email package")
struct MIMEWriterTests {
    static let received = ISO8601DateFormatter().date(from: "2026-11-22T14:12:00Z")!
    static let newYork = TimeZone(secondsFromGMT: -5 * 3600)!

    static func voicemail(name: String? = "Zoë Müller", number: String = "+15551234567", transcript: String? = nil)
        -> Voicemail
    {
        Voicemail(
            callerNumber: number, callerName: name, mailbox: "Sales", received: received, timeZone: newYork,
            duration: 42.3, transcript: transcript)
    }

    static func email(to: [String] = ["user@example.com"]) throws -> VoicemailEmail {
        VoicemailEmail(
            from: try MailAddress("voicemail@example.com", field: "--from"),
            to: try to.map { try MailAddress($0, field: "--to") })
    }

    /// Bytes with every value 0...255, a few kB, like an MP3's.
    static let audio = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 251) })

    @Test("the message has the standard structure, headers and attachment, and non-ASCII names round-trip")
    func structure() throws {
        let message = try Self.email().message(
            for: Self.voicemail(transcript: "Hi, it's Zoë. Call me back about the order — thanks!"), audio: Self.audio,
            date: Self.received)
        let raw = message.rendered()
        let parsed = try ParsedEmail.parse(raw)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.tree == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "audio/mpeg"])
        #expect(parsed.value("Subject") == "New voicemail from Zoë Müller (+1 555-123-4567), 0:42")
        #expect(parsed.value("To") == "user@example.com")
        #expect(parsed.value("From") == "Voicemail Sales <voicemail@example.com>")
        #expect(parsed.value("MIME-Version") == "1.0")
        #expect(parsed.value("Auto-Submitted") == "auto-generated")
        #expect(parsed.value("Date") == "Sun, 22 Nov 2026 09:12:00 -0500")
        #expect(parsed.value("Message-ID")?.hasSuffix("@example.com>") == true)
        #expect(parsed.bareLineFeeds == 0)
        #expect(parsed.longestLine <= 998)
        #expect(parsed.text?.contains("Hi, it's Zoë. Call me back about the order — thanks!") == true)
        #expect(parsed.text?.contains("Zoë Müller (+1 555-123-4567)") == true)
        #expect(parsed.text?.contains("Sunday, 22 November 2026 at 09:12 (UTC-05:00)") == true)
        #expect(parsed.html?.contains("Hi, it&#39;s Zoë") == true || parsed.html?.contains("Hi, it&#x27;s Zoë") == true)
        let attachment = try #require(parsed.attachment)
        #expect(attachment.filename == "voicemail-2026-11-22-0912-+15551234567.mp3")
        #expect(attachment.disposition == "attachment")
        #expect(attachment.transferEncoding == "base64")
        #expect(attachment.data == Self.audio)
        let text = String(decoding: raw, as: UTF8.self)
        let base64Lines = text.components(separatedBy: "\r\n").filter { $0.count == 76 && !$0.contains(" ") }
        #expect(base64Lines.count == Self.audio.count / 57)
    }

    @Test("the Message-ID is the same for the same voicemail and differs for another")
    func stableMessageID() throws {
        let email = try Self.email()
        let first = email.message(for: Self.voicemail(), audio: Self.audio, date: Date())
        let again = email.message(for: Self.voicemail(), audio: Data(), date: Date().addingTimeInterval(600))
        let other = email.message(for: Self.voicemail(number: "+15550000000"), audio: Self.audio)
        #expect(first.messageID == again.messageID)
        #expect(first.messageID != other.messageID)
    }

    @Test("without a transcript the bodies say so", arguments: [nil, "", "  \n "])
    func transcriptUnavailable(transcript: String?) throws {
        let parsed = try ParsedEmail.parse(
            try Self.email().message(for: Self.voicemail(transcript: transcript), audio: Self.audio).rendered())
        #expect(parsed.text?.contains(Voicemail.transcriptUnavailable) == true)
        #expect(parsed.html?.contains(Voicemail.transcriptUnavailable) == true)
    }

    @Test("CR, LF and other control characters in caller values add no header, part or recipient")
    func headerInjection() throws {
        let name = "Eve\r\nBcc: x@evil.example\r\n\r\n--=_mixed_\r\nContent-Type: text/html\r\n\u{0}\u{85}\u{2028}X"
        let voicemail = Self.voicemail(name: name, number: "+1555\r\nBcc: y@evil.example")
        let parsed = try ParsedEmail.parse(try Self.email().message(for: voicemail, audio: Self.audio).rendered())
        #expect(parsed.defects.isEmpty)
        #expect(parsed.recipients == ["user@example.com"])
        #expect(parsed.values("Bcc").isEmpty)
        #expect(parsed.values("Content-Type").count == 1)
        #expect(parsed.tree == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "audio/mpeg"])
        let subject = try #require(parsed.value("Subject"))
        #expect(subject.contains("Eve Bcc: x@evil.example"))
        #expect(!subject.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(parsed.attachment?.filename == "voicemail-2026-11-22-0912-+1555.mp3")
    }

    @Test("every value is HTML-escaped in the HTML part")
    func htmlEscaping() throws {
        let voicemail = Self.voicemail(name: "<script>alert(1)</script> & \"Co\"", transcript: "<b>bold</b>")
        let parsed = try ParsedEmail.parse(try Self.email().message(for: voicemail, audio: Self.audio).rendered())
        let html = try #require(parsed.html)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        #expect(parsed.text?.contains("<script>alert(1)</script> & \"Co\"") == true)
    }

    @Test("long non-ASCII subjects become encoded-words that never split a character and lines stay short")
    func longNonASCIISubject() throws {
        let name = String(repeating: "日本語の名前😀🇯🇵 ", count: 12)
        let message = try Self.email().message(for: Self.voicemail(name: name), audio: Self.audio)
        let raw = message.rendered()
        let parsed = try ParsedEmail.parse(raw)
        #expect(parsed.value("Subject") == "New voicemail from \(HeaderText.singleLine(name)) (+1 555-123-4567), 0:42")
        #expect(parsed.longestLine <= 998)
        for word in HeaderText.encodedWords(message.subject) {
            #expect(word.count <= HeaderText.maximumEncodedWordLength)
            let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            #expect(String(data: Data(base64Encoded: String(payload))!, encoding: .utf8) != nil)
        }
    }

    @Test("a non-ASCII attachment name is written as RFC 2231 filename*")
    func nonASCIIFilename() throws {
        var message = try Self.email().message(for: Self.voicemail(), audio: Self.audio)
        message.attachment?.filename = "Nachricht von Zoë Müller am 22. November, sehr lang, wirklich.mp3"
        let raw = message.rendered()
        #expect(String(decoding: raw, as: UTF8.self).contains("filename*0*=UTF-8''"))
        let parsed = try ParsedEmail.parse(raw)
        #expect(parsed.attachment?.filename == "Nachricht von Zoë Müller am 22. November, sehr lang, wirklich.mp3")
    }

    @Test(
        "quoted-printable keeps lines within 76 characters and round-trips",
        arguments: [
            String(repeating: "é", count: 200), String(repeating: "a", count: 300) + " ", "line=1\nline 2 \n.\n",
            String(repeating: "=", count: 100),
        ])
    func quotedPrintable(text: String) throws {
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        var message = try Self.email().message(for: Self.voicemail(), audio: Data())
        message.text = text
        let parsed = try ParsedEmail.parse(message.rendered())
        #expect(parsed.text == text)
    }

    @Test(
        "addresses are validated",
        arguments: [
            "", "user", "user@", "@example.com", "a b@example.com", "user@example", "user@@example.com",
            "user@example.com\r\nBcc: x@evil.example", "zoë@example.com", "user@-example.com", "a..b@example.com",
            "<user@example.com>", "user@example.com, x@evil.example",
        ])
    func invalidAddresses(text: String) {
        #expect(throws: MailError.self) { try MailAddress(text, field: "--to") }
    }

    @Test("usable addresses are accepted", arguments: ["user@example.com", "first.last+vm@mail.example.co.uk"])
    func validAddresses(text: String) throws {
        #expect(try MailAddress(text, field: "--to").address == text)
    }

    @Test("a deployment's templates replace the standard ones, with values escaped for HTML only there")
    func customTemplates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("callmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Voicemail: {{caller_name}} & {{mailbox}}".write(
            to: folder.appendingPathComponent(VoicemailTemplates.subjectFileName), atomically: true, encoding: .utf8)
        try "<p>{{caller_name}}</p>".write(
            to: folder.appendingPathComponent(VoicemailTemplates.htmlFileName), atomically: true, encoding: .utf8)
        var email = try Self.email()
        email.templates = try VoicemailTemplates(directory: folder.path)
        let parsed = try ParsedEmail.parse(
            email.message(for: Self.voicemail(name: "A&B <Ltd>"), audio: Self.audio).rendered())
        #expect(parsed.value("Subject") == "Voicemail: A&B <Ltd> & Sales")
        #expect(parsed.html == "<p>A&amp;B &lt;Ltd&gt;</p>")
        #expect(parsed.text?.contains("From:     A&B <Ltd> (+1 555-123-4567)") == true)
    }

    @Test(
        "display formats",
        arguments: zip(
            [0.4, 42.3, 59.6, 725, 3723], ["0:00", "0:42", "1:00", "12:05", "1:02:03"]))
    func durations(seconds: Double, expected: String) {
        #expect(Voicemail.displayDuration(seconds) == expected)
    }

    @Test func phoneNumbers() {
        #expect(Voicemail.displayNumber("+15551234567") == "+1 555-123-4567")
        #expect(Voicemail.displayNumber("+442071234567") == "+442071234567")
        #expect(Voicemail.displayNumber("1001") == "1001")
    }
}
