import CallMail
import CallMailSMTP
import CallVoicemail
import Foundation

/// A `voicemail` job that also emails the message: the voicemail recipe (audio, transcript, email) and the
/// server to send it through. Stored as the voicemail kind's recipe JSON with an `email` key; a voicemail job
/// without one is audio only (a `CallRecipe`).
public struct VoicemailEmailJob: Sendable, Equatable, Codable {
    public var email: VoicemailRecipe
    /// Where to send it; nil builds the email (`voicemail.eml`) without sending it.
    public var smtp: SMTPDestination?

    public init(email: VoicemailRecipe, smtp: SMTPDestination? = nil) {
        self.email = email
        self.smtp = smtp
    }
}
