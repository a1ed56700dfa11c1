import CallAudio
import CallMail
import CallVoicemail
import Foundation

/// The fields of `POST /v1/voicemails` that have the voicemail emailed, as `callaudio voicemail`'s flags in
/// snake case: `to` (comma-separated), `from`, `caller_number`, `caller_name`, `mailbox`, `received`,
/// `time_zone` and `bitrate`. The upload's `transcribe` puts the transcript into the email, and its `denoise`
/// cleans the audio, as for any voicemail.
struct VoicemailEmailFields {
    var to: [String]
    var from: String
    var callerNumber: String
    var callerName: String?
    var mailbox: String?
    var received: ReceivedTime
    var bitrate: Int

    static let names: Set = [
        "to", "from", "caller_number", "caller_name", "mailbox", "received", "time_zone", "bitrate",
    ]

    /// A voicemail's fields split between its email and its call's details: `to` and `from` are the email's
    /// recipients and sender when they hold an address (an `@`), the call's numbers (`CallDetails`) otherwise;
    /// `caller_number` is also the call's `from` when no number is given for it.
    static func split(_ fields: [String: String]) -> (email: [String: String], details: [String: String]) {
        var email = fields
        var details = fields
        for name in ["to", "from"] {
            guard let value = fields[name] else { continue }
            if value.contains("@") {
                details.removeValue(forKey: name)
            } else {
                email.removeValue(forKey: name)
            }
        }
        if details["from"] == nil, let number = fields["caller_number"], PhoneNumber.digits(of: number) != nil {
            details["from"] = number
        }
        return (email, details)
    }

    /// The email fields of `fields`; nil when there is no `to` (the voicemail is not emailed).
    init?(_ fields: [String: String]) throws(FieldProblem) {
        guard let recipients = fields["to"] else {
            for name in Self.names.sorted() where fields[name] != nil {
                throw FieldProblem(message: "\(name): an emailed voicemail needs to (its recipients)")
            }
            return nil
        }
        to = recipients.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !to.isEmpty else { throw FieldProblem(message: "to: give at least one recipient") }
        guard let from = fields["from"] else {
            throw FieldProblem(message: "from: an emailed voicemail needs a sender address")
        }
        self.from = from
        guard let callerNumber = fields["caller_number"], !callerNumber.isEmpty else {
            throw FieldProblem(message: "caller_number: an emailed voicemail needs the caller's number")
        }
        self.callerNumber = callerNumber
        do {
            for address in to { _ = try MailAddress(address, field: "to") }
            _ = try MailAddress(from, field: "from")
        } catch {
            throw FieldProblem(message: error.description)
        }
        callerName = fields["caller_name"]
        mailbox = fields["mailbox"]
        do {
            received = try ReceivedTime(received: fields["received"], timeZone: fields["time_zone"])
        } catch {
            throw FieldProblem(message: "\(error.isTimeZone ? "time_zone" : "received"): \(error)")
        }
        bitrate = VoicemailRecipe.defaultBitrate
        if let text = fields["bitrate"] {
            guard let value = Int(text), VoicemailRecipe.bitrates.contains(value) else {
                throw FieldProblem(message: "bitrate: \(text) is not a whole number from 24 to 32")
            }
            bitrate = value
        }
    }

    /// The voicemail recipe for `input`, written into `folder` (paths as the storage names them).
    func recipe(input: String, folder: String, transcribe: Bool, enhancement: Enhancement) -> VoicemailRecipe {
        VoicemailRecipe(
            input: input, outputDirectory: folder, to: to, from: from, callerNumber: callerNumber,
            callerName: callerName, mailbox: mailbox, received: received.date,
            timeZone: received.timeZone.identifier, transcribe: transcribe, enhancement: enhancement,
            bitrate: bitrate)
    }
}
