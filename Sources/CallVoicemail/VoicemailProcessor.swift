import AudioCore
import CallAudio
import CallMail
import Foundation

/// Runs a `VoicemailRecipe`: cleans, trims and encodes the recording (as a one-leg call), transcribes it when
/// asked and an engine is given, and builds the email. `voicemail.mp3`, `voicemail.waveform.json`,
/// `voicemail.eml` and `voicemail.json` are made in a hidden folder beside them and moved into place together at
/// the end, the report last (`StagedOutputs`), so a failure leaves none of them.
public struct VoicemailProcessor: Sendable {
    public static let audioName = "voicemail.mp3"
    public static let emailName = "voicemail.eml"
    public static let reportName = "voicemail.json"
    /// The seek bar's peaks (BBC audiowaveform v2 JSON), for a player of the message.
    public static let waveformName = "voicemail.waveform.json"

    private let transcriber: (any VoicemailTranscriber)?
    private let progress: CallProcessor.Progress?
    private let stage: (@Sendable (String) -> Void)?
    private let cancellation: CancellationFlag

    /// - Parameters:
    ///   - progress: the audio stage's progress, 0 ... 1.
    ///   - stage: told as each stage begins: `audio`, `transcript` (when asked for), `email`.
    ///   - cancellation: stops the audio at the next chunk once set, and is asked before anything is published.
    public init(
        transcriber: (any VoicemailTranscriber)? = nil, progress: CallProcessor.Progress? = nil,
        stage: (@Sendable (String) -> Void)? = nil, cancellation: CancellationFlag = CancellationFlag()
    ) {
        self.transcriber = transcriber
        self.progress = progress
        self.stage = stage
        self.cancellation = cancellation
    }

    /// The files a run publishes, in the order they are published.
    static let outputNames = [audioName, waveformName, emailName, reportName]

    /// Every file a run of `recipe` publishes.
    public static func outputPaths(of recipe: VoicemailRecipe) -> [String] {
        outputNames.map { URL(fileURLWithPath: recipe.outputDirectory).appendingPathComponent($0).path }
    }

    public func run(_ recipe: VoicemailRecipe) throws -> VoicemailReport {
        let email = try Self.email(for: recipe)
        guard let timeZone = TimeZone(identifier: recipe.timeZone) else {
            throw AudioError(.invalidRecipe, "time zone \(recipe.timeZone) is not known")
        }
        guard VoicemailRecipe.bitrates.contains(recipe.bitrate) else {
            throw AudioError(.invalidRecipe, "a voicemail MP3 is 24 to 32 kbit/s, not \(recipe.bitrate)")
        }
        let folder = URL(fileURLWithPath: recipe.outputDirectory)
        let staged = try StagedOutputs(in: folder, marker: Self.reportName)

        stage?("audio")
        let audio = try CallProcessor(progress: progress, cancellation: cancellation)
            .run(recipe.audioRecipe(in: staged.folder.path))
        let mp3 = URL(fileURLWithPath: staged.path(of: Self.audioName))
        if recipe.transcribe { stage?("transcript") }
        let transcript = transcribe(mp3.path, asked: recipe.transcribe)
        stage?("email")
        let voicemail = Voicemail(
            callerNumber: recipe.callerNumber, callerName: recipe.callerName, mailbox: recipe.mailbox,
            received: recipe.received, timeZone: timeZone, duration: audio.duration, transcript: transcript.text)
        let message = email.message(for: voicemail, audio: try Data(contentsOf: mp3))
        let eml = message.rendered()
        try Self.write(eml, to: URL(fileURLWithPath: staged.path(of: Self.emailName)))

        let report = VoicemailReport(
            audio: audio.published(in: folder), transcript: transcript,
            email: VoicemailReport.Email(
                path: folder.appendingPathComponent(Self.emailName).path, bytes: eml.count,
                messageID: message.messageID, subject: message.subject, from: recipe.from, to: recipe.to,
                attachmentFilename: voicemail.attachmentFilename()))
        try Self.write(try Self.json(report), to: URL(fileURLWithPath: staged.path(of: Self.reportName)))
        try staged.publish(Self.outputNames, permission: cancellation)
        return report
    }

    /// `report` with `delivery` recorded, written over `voicemail.json` beside the email in one rename (a
    /// reader sees the old report or the new one, never half of either).
    public static func recording(_ delivery: VoicemailReport.Delivery, in report: VoicemailReport) throws(AudioError)
        -> VoicemailReport
    {
        var report = report
        report.delivery = delivery
        let path = URL(fileURLWithPath: report.email.path).deletingLastPathComponent()
            .appendingPathComponent(reportName).path
        let data: Data
        do {
            data = try json(report)
        } catch {
            throw AudioError(.writeFailed, path: path, "cannot be encoded (\(error))")
        }
        try OutputFile.write(data, to: path)
        return report
    }

    /// The email builder, with addresses and templates checked before any audio work starts.
    static func email(for recipe: VoicemailRecipe) throws(AudioError) -> VoicemailEmail {
        do {
            return VoicemailEmail(
                from: try MailAddress(recipe.from, field: "from"),
                to: try recipe.to.map { address throws(MailError) in try MailAddress(address, field: "to") },
                templates: try recipe.templatesDirectory.map { try VoicemailTemplates(directory: $0) } ?? .standard)
        } catch {
            throw AudioError(.invalidRecipe, "\(error)")
        }
    }

    private func transcribe(_ path: String, asked: Bool) -> VoicemailReport.Transcript {
        guard asked else { return .init(status: .notRequested) }
        guard let transcriber else { return .init(status: .unavailable) }
        do {
            return .init(status: .done, text: try transcriber.transcribe(audioAt: path))
        } catch {
            return .init(status: .failed, error: "\(error)")
        }
    }

    static func json(_ report: VoicemailReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(report)
    }

    private static func write(_ data: Data, to url: URL) throws(AudioError) {
        do {
            try data.write(to: url)
        } catch {
            throw AudioError(.writeFailed, path: url.path, "cannot be written (\(error.localizedDescription))")
        }
    }
}
