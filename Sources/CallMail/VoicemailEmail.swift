import Foundation

/// Builds the email that announces one voicemail: rendered templates, the audio attached, and a Message-ID
/// that is the same every time the same voicemail is sent (so a retried send can be recognised as a
/// duplicate by the receiving side).
public struct VoicemailEmail: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var templates: VoicemailTemplates

    public init(from: MailAddress, to: [MailAddress], templates: VoicemailTemplates = .standard) {
        self.from = from
        self.to = to
        self.templates = templates
    }

    /// The message for `voicemail`, with `audio` (MP3 bytes) attached; `date` is when it is written.
    public func message(for voicemail: Voicemail, audio: Data, date: Date = Date()) -> MailMessage {
        let values = voicemail.templateValues
        return MailMessage(
            from: from, fromName: voicemail.mailbox.map { "Voicemail \(HeaderText.singleLine($0))" } ?? "Voicemail",
            to: to, subject: HeaderText.singleLine(templates.subject.render(values)), date: date,
            timeZone: voicemail.timeZone, messageID: messageID(for: voicemail),
            text: templates.text.render(values), html: templates.html.render(values),
            attachment: MailMessage.Attachment(
                filename: voicemail.attachmentFilename(), contentType: "audio/mpeg", data: audio))
    }

    /// `voicemail.<16 hex digits>@<sender's domain>`, from the voicemail's identity (caller, received time,
    /// mailbox, recipients): stable across retries and re-runs, different for different voicemails.
    func messageID(for voicemail: Voicemail) -> String {
        let identity = [
            voicemail.callerNumber, String(voicemail.received.timeIntervalSince1970), voicemail.mailbox ?? "",
            to.map(\.address).joined(separator: ","),
        ].joined(separator: "\u{1F}")
        return "voicemail.\(String(format: "%016llx", FNV1a.hash(identity.utf8)))@\(from.domain)"
    }
}

/// FNV-1a, 64 bit: a small stable (not cryptographic) digest for identifiers.
enum FNV1a {
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
