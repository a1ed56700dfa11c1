import ArgumentParser
import CallAudio
import CallAudioCLI
import CallMail
import CallVoicemail
import Foundation

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

            To queue the voicemail as a job for workers instead, use `callaudio-server voicemail --queue ...` with \
            the same options.

            Exit status: 0 on success, 64 for bad options, 65 for unusable input, 69 when the email cannot be \
            sent, 73 when an output cannot be written.
            """)

    @OptionGroup var voicemail: VoicemailOptions

    @Flag(help: "Print the report as JSON on standard output instead of a summary.")
    var json = false

    func run() async throws {
        let recipe = try voicemail.recipe()
        let transcribe = voicemail.transcribe
        let transcription = voicemail.transcription
        let mail = voicemail.mail
        let transcriber = transcribe ? try transcription.makeVoicemailTranscriber() : nil
        var report = try runReportingErrors { try VoicemailProcessor(transcriber: transcriber).run(recipe) }
        if let sender = try mail.sender() {
            let delivery = await VoicemailProcessor.deliver(report, with: sender)
            report = try runReportingErrors { try VoicemailProcessor.recording(delivery, in: report) }
        }
        try show(report)
        if let delivery = report.delivery, delivery.status == .failed {
            writeErrorLine("\(report.email.path): not sent through \(delivery.server): \(delivery.error ?? "")")
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
