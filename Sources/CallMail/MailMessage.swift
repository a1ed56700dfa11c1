import Foundation

/// One email with a plain-text and an HTML body and one attachment, rendered as standard MIME:
/// `multipart/mixed` holding a `multipart/alternative` (text/plain, text/html; UTF-8, quoted-printable) and
/// the attachment in base64 lines of 76 characters. Lines end in CRLF and none exceeds 998 octets; every
/// header value passes through `HeaderText`, so untrusted text cannot add a header or a part.
public struct MailMessage: Sendable, Equatable {
    /// A file carried by the message.
    public struct Attachment: Sendable, Equatable {
        /// The name a mail client offers when saving it; written as RFC 2231 `filename*` when not ASCII.
        public var filename: String
        /// `audio/mpeg`.
        public var contentType: String
        public var data: Data

        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public var from: MailAddress
    public var fromName: String?
    public var to: [MailAddress]
    public var subject: String
    public var date: Date
    /// The time zone the `Date` header is written in (the mailbox's).
    public var timeZone: TimeZone
    /// Without the angle brackets: `voicemail.1f2e...@example.com`.
    public var messageID: String
    public var text: String
    public var html: String
    public var attachment: Attachment?

    public init(
        from: MailAddress, fromName: String? = nil, to: [MailAddress], subject: String, date: Date,
        timeZone: TimeZone, messageID: String, text: String, html: String, attachment: Attachment? = nil
    ) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.text = text
        self.html = html
        self.attachment = attachment
    }

    /// The message as it goes on the wire (before SMTP's dot-stuffing) and into a `.eml` file.
    public func rendered() -> Data {
        // "=_" cannot occur in quoted-printable or base64 text, so these boundaries never collide with content.
        let tag = messageID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }
            .prefix(16).map(String.init).joined()
        let mixed = "=_mixed_\(tag)"
        let alternative = "=_alternative_\(tag)"
        var headers = [
            HeaderText.field("From", HeaderText.mailbox(name: fromName, address: from)),
            HeaderText.field("To", to.map { "<\($0)>" }.joined(separator: ", ")),
            HeaderText.field("Subject", subject),
            "Date: \(Self.rfc5322Date(date, timeZone: timeZone))",
            "Message-ID: <\(HeaderText.singleLine(messageID))>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        let alternativePart = [
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"", "",
            "--\(alternative)",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "",
            QuotedPrintable.encode(text) + "--\(alternative)",
            "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: quoted-printable", "",
            QuotedPrintable.encode(html) + "--\(alternative)--",
        ].joined(separator: "\r\n")
        guard let attachment else {
            headers.append(alternativePart)
            return Data((headers.joined(separator: "\r\n") + "\r\n").utf8)
        }
        headers.append("Content-Type: multipart/mixed; boundary=\"\(mixed)\"")
        let message =
            (headers + [
                "", "--\(mixed)", alternativePart, "--\(mixed)",
                HeaderText.fold(
                    prefix: "Content-Type:",
                    words: ["\(attachment.contentType);"] + Self.fileParameter("name", attachment.filename)),
                HeaderText.fold(
                    prefix: "Content-Disposition:",
                    words: ["attachment;"] + Self.fileParameter("filename", attachment.filename)),
                "Content-Transfer-Encoding: base64", "",
                Base64.bodyLines(attachment.data) + "--\(mixed)--", "",
            ]).joined(separator: "\r\n")
        return Data(message.utf8)
    }

    /// `filename="x.mp3"` for a plain ASCII name, or RFC 2231 `filename*=UTF-8''...` percent-encoded,
    /// continued over several lines (`filename*0*=`, `filename*1*=`) when long.
    static func fileParameter(_ name: String, _ value: String) -> [String] {
        let value = HeaderText.singleLine(value)
        let plain = value.allSatisfy { $0.isASCII && $0 != "\"" && $0 != "\\" && $0 != ";" } && value.utf8.count <= 60
        if plain { return ["\(name)=\"\(value)\""] }
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        var pieces: [String] = []
        var current = ""
        for character in value {
            let encoded = String(character).utf8.map {
                unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0)
            }.joined()
            if current.count + encoded.count > 50, !current.isEmpty {
                pieces.append(current)
                current = ""
            }
            current += encoded
        }
        pieces.append(current)
        if pieces.count == 1 { return ["\(name)*=UTF-8''\(pieces[0])"] }
        return pieces.enumerated().map { index, piece in
            let separator = index == pieces.count - 1 ? "" : ";"
            return "\(name)*\(index)*=\(index == 0 ? "UTF-8''" : "")\(piece)\(separator)"
        }
    }

    /// `Sun, 22 Nov 2026 09:12:00 -0500`.
    static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
