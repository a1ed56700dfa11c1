import Foundation
import Mustache

/// The subject and the two bodies of a voicemail email, as Mustache templates a deployment can replace.
///
/// A folder given to `init(directory:)` may hold `subject.mustache`, `body.txt.mustache` and
/// `body.html.mustache`; each one present replaces the standard template. The subject and the text body are
/// rendered without escaping, the HTML body with every value HTML-escaped (`{{name}}`; triple braces would
/// insert a value raw, which the standard templates never do). Values: `caller` (name and number, or the
/// number), `caller_name`, `caller_number`, `mailbox`, `duration` (`0:42`), `received` (in the mailbox's time
/// zone), `transcript`, and the flags `has_caller_name`, `has_mailbox`, `has_transcript`.
public struct VoicemailTemplates: Sendable {
    let subject: MustacheTemplate
    let text: MustacheTemplate
    let html: MustacheTemplate

    public static let subjectFileName = "subject.mustache"
    public static let textFileName = "body.txt.mustache"
    public static let htmlFileName = "body.html.mustache"

    /// The templates the package ships.
    public static let standard = try! VoicemailTemplates(
        subject: StandardTemplates.subject, text: StandardTemplates.text, html: StandardTemplates.html)

    public init(subject: String, text: String, html: String) throws(MailError) {
        self.subject = try Self.parse(subject, name: Self.subjectFileName, contentType: "TEXT")
        self.text = try Self.parse(text, name: Self.textFileName, contentType: "TEXT")
        self.html = try Self.parse(html, name: Self.htmlFileName, contentType: "HTML")
    }

    /// The standard templates with any of the three files found in `directory` in their place.
    public init(directory: String) throws(MailError) {
        func read(_ name: String, otherwise standard: String) throws(MailError) -> String {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path) else { return standard }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw MailError.invalidTemplate(name: path, problem: "cannot be read as UTF-8 text") }
            return text
        }
        try self.init(
            subject: read(Self.subjectFileName, otherwise: StandardTemplates.subject),
            text: read(Self.textFileName, otherwise: StandardTemplates.text),
            html: read(Self.htmlFileName, otherwise: StandardTemplates.html))
    }

    /// Parses `source`, escaping values for `contentType` whatever pragma the template itself carries.
    private static func parse(_ source: String, name: String, contentType: String) throws(MailError)
        -> MustacheTemplate
    {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: \(contentType)}}" + source)
        } catch {
            throw MailError.invalidTemplate(name: name, problem: "\(error)")
        }
    }
}

/// The templates used when a deployment supplies none.
enum StandardTemplates {
    static let subject = "New voicemail from {{caller}}, {{duration}}"

    static let text = """
        New voicemail{{#has_mailbox}} in {{mailbox}}{{/has_mailbox}}

        From:     {{caller}}
        Received: {{received}}
        Length:   {{duration}}

        Transcript:
        {{transcript}}

        The recording is attached.

        """

    static let html = """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"></head>
        <body style="font-family: sans-serif">
        <h2>New voicemail{{#has_mailbox}} in {{mailbox}}{{/has_mailbox}}</h2>
        <table>
        <tr><td>From</td><td><b>{{caller}}</b></td></tr>
        <tr><td>Received</td><td>{{received}}</td></tr>
        <tr><td>Length</td><td>{{duration}}</td></tr>
        </table>
        <h3>Transcript</h3>
        <p>{{transcript}}</p>
        <p>The recording is attached.</p>
        </body></html>

        """
}
