import ArgumentParser
import CallAudio
import CallAudioJobs
import CallMail
import CallVoicemail
import Foundation
import Logging

/// `callaudio voicemail`: one voicemail recording into a small MP3 and the email that announces it.
struct VoicemailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicemail",
        abstract: "Turn a voicemail recording into a small MP3 and the email that announces it.",
        discussion: """
            Cleans the recording as for calls (noise suppression, high-pass, loudness), trims the silence \
            before the first and after the last word to 250 ms, encodes a mono 16 kHz MP3 (plays on phones \
            and in mail clients) and builds a standard MIME email with the MP3 attached and the caller, \
            mailbox, length, received time and transcript in a plain-text and an HTML body. Writes \
            DIR/voicemail.mp3, DIR/voicemail.waveform.json (a player's peaks), DIR/voicemail.eml (always: an \
            archive and a debugging aid) and DIR/voicemail.json, all together or none.

            The subject and bodies come from Mustache templates; --templates DIR replaces any of \
            subject.mustache, body.txt.mustache and body.html.mustache.

            Example:
              callaudio voicemail vm.wav --to user@example.com --from voicemail@example.com \\
                --caller-number +15551234567 --caller-name "Zoë Müller" --mailbox Sales \\
                --received 2026-11-22T09:12:00-05:00 --output out/vm-991

            With --queue the voicemail becomes a `voicemail` job instead, run by `callaudio worker`: audio, \
            transcript and email, then the send, each a stage; a temporary SMTP failure retries with the queue's \
            backoff, a retried job sends the email it made before (same Message-ID) rather than re-encode, and the \
            Message-ID and the server's reply are kept in the job's result. The SMTP URL must not hold a \
            password there (the job would store it): workers read it from CALLAUDIO_SMTP_PASSWORD, and transcribe \
            with their own engine (CALLAUDIO_TRANSCRIBER_URL, else the embedded one). Prints the job id; the same \
            --output folder queued again is the same job.

            Exit status: 0 on success, 64 for bad options, 65 for unusable input, 69 when the email cannot be \
            sent, 73 when an output cannot be written.
            """)

    @Option(
        help: ArgumentHelp(
            "Queue the voicemail as a job on this queue (sqlite:PATH or postgres://...) instead of running it now.",
            valueName: "LOCATION"))
    var queue: String?

    @Argument(help: "The voicemail recording (any format libsndfile reads).")
    var input: String

    @Option(help: "Recipient address (repeat for several). Example: --to user@example.com")
    var to: [String] = []

    @Option(help: "Sender address. Example: --from voicemail@example.com")
    var from: String

    @Option(help: "The caller's number as delivered. Example: --caller-number +15551234567")
    var callerNumber: String

    @Option(help: "The caller's name from caller ID. Example: --caller-name \"Zoë Müller\"")
    var callerName: String?

    @Option(help: "The mailbox the message was left in. Example: --mailbox Sales")
    var mailbox: String?

    @Option(
        help: ArgumentHelp(
            "When the message was left, ISO 8601 with the mailbox's UTC offset (default: now, in UTC).",
            valueName: "2026-11-22T09:12:00-05:00"))
    var received: String?

    @Option(
        help: ArgumentHelp(
            "The mailbox's time zone for the times shown (default: the offset of --received).",
            valueName: "America/New_York"))
    var timeZone: String?

    @Flag(
        help:
            "Transcribe the message into the email with the engine --transcriber chooses (the email says \"Transcription unavailable\" when the engine fails)."
    )
    var transcribe = false

    @OptionGroup var mail: SMTPOptions

    @Option(help: ArgumentHelp("Folder with replacement templates.", valueName: "DIR"))
    var templates: String?

    @Option(help: "MP3 bit rate in kbit/s, 24 to 32.")
    var bitrate = VoicemailRecipe.defaultBitrate

    @OptionGroup var enhancement: EnhancementOptions
    @OptionGroup var transcription: TranscriptionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var output: String

    @Flag(help: "Print the report as JSON on standard output instead of a summary.")
    var json = false

    func validate() throws {
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
        if let queue {
            do {
                _ = try JobQueueLocation(queue)
            } catch {
                throw ValidationError("--queue \(error)")
            }
            _ = try mail.destination()
        }
    }

    private static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    /// The received time and the time zone its offset (or --time-zone) names.
    func receivedTime() throws -> ReceivedTime {
        do {
            return try ReceivedTime(received: received, timeZone: timeZone)
        } catch {
            throw ValidationError("\(error.isTimeZone ? "--time-zone" : "--received"): \(error).")
        }
    }

    func run() async throws {
        let received = try receivedTime()
        let recipe = VoicemailRecipe(
            input: input, outputDirectory: output, to: to, from: from, callerNumber: callerNumber,
            callerName: callerName, mailbox: mailbox, received: received.date, timeZone: received.timeZone.identifier,
            templatesDirectory: templates, transcribe: transcribe,
            enhancement: enhancement.enhancement(for: .voicemail),
            bitrate: bitrate)
        if let queue {
            // Workers elsewhere read the files: every path absolute.
            var queued = recipe
            queued.input = Self.absolute(recipe.input)
            queued.outputDirectory = Self.absolute(recipe.outputDirectory)
            queued.templatesDirectory = recipe.templatesDirectory.map(Self.absolute)
            let request = JobRequest(
                payload: .voicemailEmail(VoicemailEmailJob(email: queued, smtp: try mail.destination())),
                idempotencyKey: "voicemail:\(queued.outputDirectory)")
            let location = try JobQueueLocation(queue)
            let jobs = try await location.open(logger: Logger(label: "callaudio.queue"))
            let enqueued = try await jobs.enqueue(request)
            try await jobs.close()
            if !enqueued.isNew {
                FileHandle.standardError.write(
                    Data("callaudio: job \(enqueued.job.id) already exists for \(output)\n".utf8))
            }
            print(enqueued.job.id)
            return
        }
        let transcriber = transcribe ? try transcription.makeVoicemailTranscriber() : nil
        var report = try runReportingErrors { try VoicemailProcessor(transcriber: transcriber).run(recipe) }
        if let sender = try mail.sender() {
            let delivery = await VoicemailProcessor.deliver(report, with: sender)
            report = try runReportingErrors { try VoicemailProcessor.recording(delivery, in: report) }
        }
        try show(report)
        if let delivery = report.delivery, delivery.status == .failed {
            FileHandle.standardError.write(
                Data(
                    "callaudio: \(report.email.path): not sent through \(delivery.server): \(delivery.error ?? "")\n"
                        .utf8))
            // sysexits(3): EX_TEMPFAIL when a later attempt may succeed, EX_UNAVAILABLE when it will not.
            throw ExitCode(delivery.isTransient == true ? 75 : 69)
        }
    }

    private func show(_ report: VoicemailReport) throws {
        if json {
            print(try JSONText.encode(report))
            return
        }
        for output in report.audio.outputs {
            print("\(output.path): \(Summary.duration(output.duration)), \(Summary.bytes(output.bytes))")
        }
        print("\(report.email.path): \(Summary.bytes(report.email.bytes)), \"\(report.email.subject)\"")
        print("  Message-ID <\(report.email.messageID)>, transcript \(report.transcript.status.rawValue)")
        if let delivery = report.delivery, delivery.status == .sent {
            print("  sent through \(delivery.server): \(delivery.reply ?? "")")
        }
    }
}
