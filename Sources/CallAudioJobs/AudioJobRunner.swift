import AudioCore
import CallAudio
import CallHTTP
import CallPrompts
import CallTranscription
import CallVoicemail
import CallWebhooks
import Foundation
import Jobs

/// The runner of real workers: hands each job's recipe to the audio library, the transcription stage or the
/// webhook sender.
public struct AudioJobRunner: JobRunner {
    /// Sends `webhook` jobs; nil on a worker without `CALLAUDIO_WEBHOOK_SECRET`, which fails them (to be retried,
    /// perhaps by a worker that has it).
    let webhooks: WebhookSender?
    /// Where secrets and engines come from (`CALLAUDIO_SMTP_PASSWORD`, `CALLAUDIO_TRANSCRIBER_URL`): the process's
    /// environment, or a test's.
    let environment: [String: String]

    public init(
        webhooks: WebhookSender? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.webhooks = webhooks
        self.environment = environment
    }

    public func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
        let payload: JobPayload
        do {
            payload = try job.payload
        } catch {
            throw JobFailure(code: "invalidRecipe", message: "its recipe cannot be read: \(error)", isPermanent: true)
        }
        // An earlier attempt that died (killed, crashed, its lease taken over) left its hidden files behind.
        if job.attempts > 1 { OutputFile.removeLeftovers(of: Self.outputPaths(of: payload)) }
        switch payload {
        case .call(let recipe), .voicemail(let recipe):
            progress.begin("process")
            let report = try CallProcessor(
                progress: { progress.report(percent: $0 * 100) }, cancellation: progress.cancellation
            ).run(recipe)
            return try JobResult(
                outputs: report.outputs.map(\.path), report: .call(report),
                followUps: TranscribeRecipe.followUp(of: job, recipe: recipe).map { [$0] } ?? [])
        case .voicemailEmail(let voicemail):
            return try runVoicemail(voicemail, progress: progress)
        case .reencode(let recipe):
            progress.begin("encode")
            let encoded = try FileEncoder(cancellation: progress.cancellation).run(recipe)
            return try JobResult(outputs: [encoded.output], report: .encode(encoded))
        case .transcribe(let recipe):
            progress.begin("transcribe")
            let report = try transcribe(recipe.call, progress: progress)
            let files = report.transcript.map { [$0.json, $0.vtt, $0.srt, $0.text] } ?? []
            return try JobResult(outputs: files, report: .call(report))
        case .webhook(let delivery):
            progress.begin("deliver")
            guard let webhooks else {
                throw WebhookError(.undelivered, "this worker has no CALLAUDIO_WEBHOOK_SECRET to sign \(delivery.type)")
            }
            try webhooks.send(delivery)
            return JobResult(outputs: [])
        case .prompt(let recipe):
            progress.begin("prompt")
            do {
                let report = try PromptProcessor(cancellation: progress.cancellation).run(recipe)
                return try JobResult(outputs: Self.outputPaths(of: payload), report: .prompt(report))
            } catch let error as AudioError where error.isPermanent {
                // A refused upload (silent, clipped, too long, not audio) is not kept: the prompt fails with the
                // reason and leaves no file. Only while this worker still holds the job.
                if (try? progress.cancellation.confirmPublishing()) != nil {
                    unlink(recipe.input)
                    rmdir(recipe.outputDirectory)
                }
                throw error
            }
        }
    }

    /// Transcribes the recording `recipe` made (its `call.json` must exist) with the engine its
    /// `transcription` names, resolved on this machine (`CALLAUDIO_TRANSCRIBER_URL`, else the embedded one).
    private func transcribe(_ recipe: CallRecipe, progress: JobProgressReporter) throws -> CallReport {
        let request = recipe.transcription ?? TranscriptionRequest()
        let reportPath = recipe.outputDirectory + "/" + recipe.outputName + ".json"
        let report = try CallReport.read(from: reportPath)
        let (choice, _) = try TranscriberChoice.resolve(request.engine, environment: environment)
        let engine = try choice.makeTranscriber(
            model: request.model ?? OpenAITranscriber.defaultModel, environment: environment,
            transport: NIOHTTPTransport())
        let total = max(report.duration, 0.001) * Double(recipe.legs.count)
        var done = [Double](repeating: 0, count: recipe.legs.count)
        let transcriber = CallTranscriber(
            engine: engine, language: request.language,
            readsWithDeepFilter: (try? DeepFilterInstallation.locate(environment: environment)) != nil)
        return try transcriber.transcribe(recipe, report: report, permission: progress.cancellation) {
            leg, seconds in
            done[leg] = seconds
            progress.report(percent: min(100, done.reduce(0, +) / total * 100))
        }
    }
}

extension AudioJobRunner {
    /// Removes the hidden files an attempt of `job` that died left beside its outputs.
    public func removeLeftovers(of job: Job) {
        guard let payload = try? job.payload else { return }
        OutputFile.removeLeftovers(of: Self.outputPaths(of: payload))
    }

    /// Every file a job of `payload` reads: its legs or input, and a transcript's report of the audio.
    public static func inputPaths(of payload: JobPayload) -> [String] {
        switch payload {
        case .call(let recipe), .voicemail(let recipe): recipe.legs.map(\.path)
        case .voicemailEmail(let job): [job.email.input]
        case .reencode(let recipe): [recipe.input]
        case .transcribe(let recipe):
            recipe.call.legs.map(\.path) + ["\(recipe.call.outputDirectory)/\(recipe.call.outputName).json"]
        case .webhook: []
        case .prompt(let recipe): [recipe.input]
        }
    }

    /// Every file a job of `payload` publishes, its report last.
    public static func outputPaths(of payload: JobPayload) -> [String] {
        switch payload {
        case .call(let recipe), .voicemail(let recipe): recipe.outputPaths
        case .voicemailEmail(let job): VoicemailProcessor.outputPaths(of: job.email)
        case .reencode(let recipe): [recipe.output]
        case .transcribe(let recipe):
            TranscriptFiles(directory: recipe.call.outputDirectory, name: recipe.call.outputName).all
                + ["\(recipe.call.outputDirectory)/\(recipe.call.outputName).json"]
        case .webhook: []
        case .prompt(let recipe):
            (PromptRendition.all.map(\.file) + [PromptProcessor.reportName]).map { "\(recipe.outputDirectory)/\($0)" }
        }
    }
}
