import ArgumentParser
import CallAudio
import CallAudioCLI
import CallAudioJobs
import Foundation
import Jobs

/// `callaudio-server submit`: queues a call, a voicemail or a re-encode and prints the job id.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Queue a call, a voicemail or a re-encode for the workers, and print the job id.",
        discussion: """
            Takes the same flags as `process`, but queues the work instead of running it. A second submit with \
            the same --key (by default the --call-id) yields the first job's id: submitting is safe to repeat.

            --kind call (default): the legs of a finished call, processed as `process` would.
            --kind voicemail: one leg; runs before calls and re-encodes queued earlier.
            --kind reencode: one recording file, re-encoded into the --output folder under its own name with \
            the --format extension (e.g. in/rec.wav → out/rec.mp3).
            --kind transcribe: the transcript of a recording already processed into the --output folder (its \
            call.json), from the same legs, offsets and roles.

            With --transcribe, a call or voicemail job queues a `transcribe` job once its audio is done (the \
            audio is ready first; the transcript follows with its own progress and retries). Without \
            --transcriber, the worker uses its own CALLAUDIO_TRANSCRIBER_URL, else the embedded engine.

            Examples:
              callaudio-server submit --queue sqlite:jobs.db --call-id c-1001 --output out/c-1001 caller.wav agent.wav
              callaudio-server submit --queue sqlite:jobs.db --kind voicemail --call-id vm-77 --output out/vm-77 vm.wav
              callaudio-server submit --queue postgres://callaudio@db/callaudio --kind reencode --priority -5 \\
                --output archive/ old/rec-0001.wav
            """)

    @OptionGroup var queue: QueueOptions

    @Option(help: "What to queue: call, voicemail, reencode or transcribe. Example: --kind voicemail")
    var kind: Kind = .call

    /// The kinds a user may submit (webhook jobs are queued by the service itself).
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case call, voicemail, reencode, transcribe
    }

    @OptionGroup var recipe: ProcessOptions

    @Flag(help: "Also transcribe the recording, as a follow-up job once its audio is done.")
    var transcribe = false

    @OptionGroup(title: "Transcription (with --transcribe or --kind transcribe)") var transcription:
        TranscriptionOptions

    @Option(
        help: """
            Higher runs first (default: voicemail \(JobKind.voicemail.defaultPriority), call \
            \(JobKind.call.defaultPriority), reencode \(JobKind.reencode.defaultPriority)). Example: --priority 50
            """)
    var priority: Int?

    @Option(help: "The idempotency key (default: the --call-id): one job per key. Example: --key c-1001")
    var key: String?

    @Option(help: "Attempts before a failing job goes dead (bad input goes dead at once). Example: --max-attempts 5")
    var maxAttempts = 5

    func validate() throws {
        let legCount = recipe.splitChannels ? recipe.legs.count * 2 : recipe.legs.count
        if (kind == .voicemail || kind == .reencode) && legCount != 1 {
            throw ValidationError("--kind \(kind.rawValue) takes exactly one file (got \(legCount) legs).")
        }
        try OptionRange.check(maxAttempts, in: 1...100, flag: "--max-attempts")
        if let priority { try OptionRange.check(priority, in: -1_000_000...1_000_000, flag: "--priority") }
    }

    func run() async throws {
        makeCreatedFilesPrivate()
        let request = try JobRequest(
            payload: makePayload(), priority: priority, idempotencyKey: key ?? recipe.callID,
            maxAttempts: maxAttempts)
        let enqueued = try await withQueue(queue) { try await $0.enqueue(request) }
        if !enqueued.isNew {
            FileHandle.standardError.write(
                Data("job \(enqueued.job.id) already exists for key \(request.idempotencyKey ?? "")\n".utf8))
        }
        print(enqueued.job.id)
    }

    private func makePayload() -> JobPayload {
        // Defaults are resolved here, on the submitting machine, and stored in the job: a voicemail gets
        // DeepFilterNet3 when this machine has it installed (workers are expected to be installed alike).
        var call = recipe.makeRecipe(for: kind == .voicemail ? .voicemail : .call)
        if transcribe || kind == .transcribe { call.transcription = transcription.request }
        switch kind {
        case .transcribe: return .transcribe(TranscribeRecipe(call: call))
        case .call: return .call(call)
        case .voicemail: return .voicemail(call)
        case .reencode:
            let input = URL(fileURLWithPath: call.legs[0].path)
            let output = URL(fileURLWithPath: call.outputDirectory)
                .appendingPathComponent(input.deletingPathExtension().lastPathComponent)
                .appendingPathExtension(call.encoding.container.fileExtension)
            return .reencode(
                EncodeRecipe(input: input.path, output: output.path, encoding: call.encoding, tags: call.tags))
        }
    }
}
