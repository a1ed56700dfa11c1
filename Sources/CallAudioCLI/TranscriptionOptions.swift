import ArgumentParser
import AudioCore
import CallAudio
import CallHTTP
import CallTranscription
import CallVoicemail
import Foundation

/// The flags that choose and tune the transcription engine: shared by `process --transcribe` and `transcribe`.
public struct TranscriptionOptions: ParsableArguments {
    public init() {}

    @Option(
        help: """
            The engine: moonshine, pocketsphinx, or the URL of an OpenAI-compatible transcription server. \
            Default: $CALLAUDIO_TRANSCRIBER_URL when set, else moonshine where it is installed \
            (scripts/install-moonshine.sh), else pocketsphinx.
            """)
    public var transcriber: String?

    @Option(
        help: ArgumentHelp(
            """
            The model a transcription server is asked for (the bundled Whisper server answers with the model it \
            loaded, whatever the name). Its API key, if it needs one, is read from \
            \(OpenAITranscriber.apiKeyEnvironmentVariable).
            """, valueName: "NAME"))
    public var transcriptionModel = OpenAITranscriber.defaultModel

    @Option(help: "The language spoken, as an ISO 639-1 code.")
    public var language = "en"

    @Option(
        name: .customLong("transcription-denoise"),
        help: """
            Noise suppression before recognition on every leg, each leg read once: off, low, moderate, high, \
            veryhigh, or deep (DeepFilterNet3). Default: chosen for each leg from its noise, as the workers and \
            the service do (off on a clean leg; moderate on a noisy one, which a Whisper server also reads raw \
            and cleaned by DeepFilterNet3, voting on the words: slower, fewer words wrong).
            """)
    public var transcriptionDenoise: NoiseSuppressor.Level?

    public func validate() throws {
        guard let transcriber else { return }
        do {
            _ = try TranscriberChoice(parsing: transcriber)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// What these flags ask for, as a recipe carries it to the machine that runs it.
    public var request: TranscriptionRequest {
        TranscriptionRequest(engine: transcriber, model: transcriptionModel, language: language)
    }

    /// The configured transcriber, after saying on standard error which engine it uses and why.
    public func makeCallTranscriber() throws -> CallTranscriber {
        let (choice, explanation) = try TranscriberChoice.resolve(transcriber)
        writeErrorLine("\(explanation)")
        let engine = try runReportingTranscriptionErrors {
            try choice.makeTranscriber(model: transcriptionModel, transport: NIOHTTPTransport())
        }
        return CallTranscriber(engine: engine, language: language, denoise: transcriptionDenoise)
    }
}

/// Runs `body`; a `TranscriptionError` or `AudioError` becomes one line on standard error and an exit status
/// (64 for an engine that cannot be set up, 69 for one that is down or answers badly).
public func runReportingTranscriptionErrors<T>(_ body: () throws -> T) throws -> T {
    try runReportingErrors {
        do {
            return try body()
        } catch let error as TranscriptionError {
            writeErrorLine("\(error)")
            throw ExitCode(error.kind == .misconfigured ? 64 : 69)
        }
    }
}

/// Shows how far into each leg transcription has got, on a terminal only.
public final class TranscriptionProgress {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var shown = false

    public init() {}

    public func show(leg: Int, seconds: Double) {
        guard isTerminal else { return }
        shown = true
        FileHandle.standardError.write(Data("\r\u{1B}[Ktranscribing leg \(leg + 1): \(Summary.duration(seconds))".utf8))
    }

    public func end() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

extension TranscriptionOptions {
    /// The engine these options choose, for the voicemail pipeline; which one, and why, is printed when it starts.
    public func makeVoicemailTranscriber() throws -> VoicemailTranscription {
        try VoicemailTranscription(
            engine: transcriber, model: transcriptionModel, language: language, denoise: transcriptionDenoise,
            transport: NIOHTTPTransport(), announce: { writeErrorLine("\($0)") })
    }
}
