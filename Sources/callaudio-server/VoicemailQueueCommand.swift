import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallVoicemail
import Foundation
import Jobs
import Logging

/// `callaudio-server voicemail --queue`: one voicemail queued as a job for workers, with the same options as
/// `callaudio voicemail`.
struct VoicemailQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voicemail",
        abstract: "Queue a voicemail recording, its MP3 and the email that announces it, as a job for workers.",
        discussion: """
            The voicemail becomes a `voicemail` job, run by `callaudio-server worker`: audio, transcript and \
            email, then the send, each a stage; a temporary SMTP failure retries with the queue's backoff, a \
            retried job sends the email it made before (same Message-ID) rather than re-encode, and the \
            Message-ID and the server's reply are kept in the job's result. The SMTP URL must not hold a \
            password (the job would store it): workers read it from CALLAUDIO_SMTP_PASSWORD, and transcribe with \
            their own engine (CALLAUDIO_TRANSCRIBER_URL, else the embedded one). Prints the job id; the same \
            --output folder queued again is the same job. `callaudio voicemail` runs the same work at once.

            Example:
              callaudio-server voicemail vm.wav --queue sqlite:/var/lib/callaudio/jobs.db --to user@example.com \\
                --from voicemail@example.com --caller-number +15551234567 --smtp smtp://mailer@mail.example.com:587 \\
                --output /srv/voicemail/vm-991
            """)

    @Option(
        help: ArgumentHelp(
            "The queue the voicemail job goes to (sqlite:PATH or postgres://...).", valueName: "LOCATION"))
    var queue: String

    @OptionGroup var voicemail: VoicemailOptions

    func validate() throws {
        do {
            _ = try JobQueueLocation(queue)
        } catch {
            throw ValidationError("--queue \(error)")
        }
        _ = try voicemail.mail.destination()
    }

    private static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    func run() async throws {
        makeCreatedFilesPrivate()
        let recipe = try voicemail.recipe()
        let mail = voicemail.mail
        let output = voicemail.output
        // Workers elsewhere read the files: every path absolute.
        var queued = recipe
        queued.input = Self.absolute(recipe.input)
        queued.outputDirectory = Self.absolute(recipe.outputDirectory)
        queued.templatesDirectory = recipe.templatesDirectory.map(Self.absolute)
        let request = try JobRequest(
            payload: .voicemailEmail(VoicemailEmailJob(email: queued, smtp: try mail.destination())),
            idempotencyKey: "voicemail:\(queued.outputDirectory)")
        let location = try JobQueueLocation(queue)
        let jobs = try await location.open(logger: Logger(label: "callaudio.queue"))
        let enqueued = try await jobs.enqueue(request)
        try await jobs.close()
        if !enqueued.isNew {
            writeErrorLine("job \(enqueued.job.id) already exists for \(output)")
        }
        print(enqueued.job.id)
    }
}
