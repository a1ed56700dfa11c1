import ArgumentParser
import CallAudio
import CallMail
import CallVoicemail
import Foundation

/// The flags that describe one voicemail and its email: shared by `callaudio voicemail` (run it now) and
/// `callaudio-server voicemail --queue` (queue it for workers).
public struct VoicemailOptions: ParsableArguments {
    public init() {}

    @Argument(help: "The voicemail recording (any format libsndfile reads).")
    public var input: String

    @Option(help: "Recipient address (repeat for several). Example: --to user@example.com")
    public var to: [String] = []

    @Option(help: "Sender address. Example: --from voicemail@example.com")
    public var from: String

    @Option(help: "The caller's number as delivered. Example: --caller-number +15551234567")
    public var callerNumber: String

    @Option(help: "The caller's name from caller ID. Example: --caller-name \"Zoë Müller\"")
    public var callerName: String?

    @Option(help: "The mailbox the message was left in. Example: --mailbox Sales")
    public var mailbox: String?

    @Option(
        help: ArgumentHelp(
            "When the message was left, ISO 8601 with the mailbox's UTC offset (default: now, in UTC).",
            valueName: "2026-11-22T09:12:00-05:00"))
    public var received: String?

    @Option(
        help: ArgumentHelp(
            "The mailbox's time zone for the times shown (default: the offset of --received).",
            valueName: "America/New_York"))
    public var timeZone: String?

    @Flag(
        help:
            "Transcribe the message into the email with the engine --transcriber chooses (the email says \"Transcription unavailable\" when the engine fails)."
    )
    public var transcribe = false

    @OptionGroup public var mail: SMTPOptions

    @Option(help: ArgumentHelp("Folder with replacement templates.", valueName: "DIR"))
    public var templates: String?

    @Option(help: "MP3 bit rate in kbit/s, 24 to 32.")
    public var bitrate = VoicemailRecipe.defaultBitrate

    @OptionGroup public var enhancement: EnhancementOptions
    @OptionGroup public var transcription: TranscriptionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    public var output: String

    public func validate() throws {
        guard !to.isEmpty else { throw ValidationError("Give at least one recipient with --to.") }
        do {
            for address in to { _ = try MailAddress(address, field: "--to") }
            _ = try MailAddress(from, field: "--from")
        } catch {
            throw ValidationError(error.description)
        }
        guard VoicemailRecipe.bitrates.contains(bitrate) else {
            throw ValidationError("--bitrate: a voicemail MP3 is 24 to 32 kbit/s, not \(bitrate).")
        }
        _ = try receivedTime()
        try enhancement.validate(legCount: 1)
    }

    /// The received time and the time zone its offset (or --time-zone) names.
    func receivedTime() throws -> ReceivedTime {
        do {
            return try ReceivedTime(received: received, timeZone: timeZone)
        } catch {
            throw ValidationError("\(error.isTimeZone ? "--time-zone" : "--received"): \(error).")
        }
    }

    /// The recipe these flags describe, paths as given.
    public func recipe() throws -> VoicemailRecipe {
        let received = try receivedTime()
        return VoicemailRecipe(
            input: input, outputDirectory: output, to: to, from: from, callerNumber: callerNumber,
            callerName: callerName, mailbox: mailbox, received: received.date, timeZone: received.timeZone.identifier,
            templatesDirectory: templates, transcribe: transcribe,
            enhancement: enhancement.enhancement(for: .voicemail),
            bitrate: bitrate)
    }
}
