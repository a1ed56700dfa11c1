import AudioCore
import CallAudio
import CallHTTP
import CallTranscription
import CallVoicemail
import Foundation
import Jobs

extension AudioJobRunner {
    /// A voicemail that is also emailed: audio, transcript and email (`VoicemailProcessor`), then the send, each a
    /// stage. A retried job whose email is already made only sends it (the same `Message-ID`, so the server or the
    /// reader's client can drop a duplicate), and one already sent is not sent again.
    func runVoicemail(_ job: VoicemailEmailJob, progress: JobProgressReporter) throws -> JobResult {
        let recipe = job.email
        var report = try Self.madeAlready(recipe) ?? makeVoicemail(recipe, progress: progress)
        if let smtp = job.smtp, report.delivery?.status != .sent {
            progress.begin("send")
            let made = report
            let delivery = waitingForTask {
                await VoicemailProcessor.deliver(made, with: try smtp.sender(environment: environment))
            }
            report = try VoicemailProcessor.recording(try delivery.get(), in: made)
            if let failure = VoicemailNotSent(report.delivery) { throw failure }
        }
        let reportPath = URL(fileURLWithPath: recipe.outputDirectory)
            .appendingPathComponent(VoicemailProcessor.reportName).path
        return try JobResult(
            outputs: report.audio.outputs.map(\.path) + [report.email.path, reportPath], report: .voicemail(report))
    }

    private func makeVoicemail(_ recipe: VoicemailRecipe, progress: JobProgressReporter) throws -> VoicemailReport {
        // The engine is this worker's (CALLAUDIO_TRANSCRIBER_URL, else the embedded one); one that cannot be set
        // up leaves the email saying "Transcription unavailable", as the CLI does.
        let transcriber =
            recipe.transcribe
            ? try? VoicemailTranscription(engine: nil, transport: NIOHTTPTransport())
            : nil
        return try VoicemailProcessor(
            transcriber: transcriber, progress: { progress.report(percent: $0 * 100) },
            stage: { progress.begin($0) }
        ).run(recipe)
    }

    /// The report of an earlier attempt that made this voicemail's email, when its files are all there.
    private static func madeAlready(_ recipe: VoicemailRecipe) throws -> VoicemailReport? {
        guard let report = VoicemailReport.read(in: recipe.outputDirectory),
            report.audio.legs.first?.path == recipe.input,
            (report.audio.outputs.map(\.path) + [report.email.path]).allSatisfy(FileManager.default.fileExists)
        else { return nil }
        return report
    }
}

/// A voicemail whose email the server did not take, in the server's words: transient (a 4xx, a lost connection,
/// a timeout) retries with the queue's backoff; permanent (a 5xx) ends the job.
struct VoicemailNotSent: ClassifiedError {
    let message: String
    let isPermanent: Bool
    var errorCode: String { isPermanent ? "smtp.rejected" : "smtp.unavailable" }
    var description: String { message }

    init?(_ delivery: VoicemailReport.Delivery?) {
        guard let delivery, delivery.status == .failed else { return nil }
        message = "not sent through \(delivery.server): \(delivery.error ?? "no reason given")"
        isPermanent = delivery.isTransient == false
    }
}
