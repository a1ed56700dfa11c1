import CallAudio
import Foundation

/// Everything needed to turn one voicemail recording into `voicemail.mp3`, `voicemail.eml` and
/// `voicemail.json`: plain data, built by the CLI from flags or carried by a queued job.
public struct VoicemailRecipe: Codable, Sendable, Hashable {
    /// The recording, in any format libsndfile reads.
    public var input: String
    /// The folder that receives the three outputs.
    public var outputDirectory: String
    /// Recipients and sender, as plain addresses (`user@example.com`).
    public var to: [String]
    public var from: String
    /// The caller's number as delivered (`+15551234567`) and, from caller ID, the name.
    public var callerNumber: String
    public var callerName: String?
    /// The mailbox the message was left in ("Sales").
    public var mailbox: String?
    /// When the message was left.
    public var received: Date
    /// The mailbox's time zone: an IANA name (`America/New_York`) or a fixed offset (`GMT-0500`).
    public var timeZone: String
    /// A folder whose `subject.mustache`, `body.txt.mustache`, `body.html.mustache` replace the standard ones.
    public var templatesDirectory: String?
    /// Whether to transcribe the message (the email says "Transcription unavailable" when no transcriber is
    /// configured or it fails).
    public var transcribe: Bool
    /// Clean-up as for calls: noise suppression, high-pass, loudness.
    public var enhancement: Enhancement
    /// Bit rate of the 16 kHz mono MP3, kbit/s (24 to 32 keeps a minute near 200 kB).
    public var bitrate: Int

    /// The attachment's sample rate: 16 kHz is MPEG-2, which every phone and mail client plays (8 kHz would be
    /// MPEG-2.5, which iPhones and some clients refuse).
    public static let sampleRate = 16_000
    public static let defaultBitrate = 32
    public static let bitrates = 24...32
    /// Silence kept before the first and after the last word.
    public static let keptSilence = 0.25

    public init(
        input: String, outputDirectory: String, to: [String], from: String, callerNumber: String,
        callerName: String? = nil, mailbox: String? = nil, received: Date, timeZone: String,
        templatesDirectory: String? = nil, transcribe: Bool = false, enhancement: Enhancement = Enhancement(),
        bitrate: Int = VoicemailRecipe.defaultBitrate
    ) {
        self.input = input
        self.outputDirectory = outputDirectory
        self.to = to
        self.from = from
        self.callerNumber = callerNumber
        self.callerName = callerName
        self.mailbox = mailbox
        self.received = received
        self.timeZone = timeZone
        self.templatesDirectory = templatesDirectory
        self.transcribe = transcribe
        self.enhancement = enhancement
        self.bitrate = bitrate
    }

    /// The one-leg call recipe that cleans, trims and encodes the recording into `folder`.
    func audioRecipe(in folder: String) -> CallRecipe {
        CallRecipe(
            legs: [CallRecipe.Leg(path: input, role: "caller")], sampleRate: Self.sampleRate,
            outputDirectory: folder, outputName: "voicemail", encoding: Encoding(container: .mp3, bitrate: bitrate),
            tags: Tags(
                title: "Voicemail from \(callerName.map { "\($0) " } ?? "")\(callerNumber)", artist: callerName,
                date: ISO8601DateFormatter().string(from: received), comment: mailbox),
            enhancement: enhancement, trimSilenceKeeping: Self.keptSilence)
    }
}
