import Foundation
import HTTPExchange

/// Which engine to use, from the CLI's `--transcriber NAME|URL`, a recipe, or the environment.
public enum TranscriberChoice: Sendable, Hashable, Codable {
    /// The in-process PocketSphinx engine.
    case pocketsphinx
    /// A server speaking OpenAI's `POST /v1/audio/transcriptions`, at this base URL (`http://127.0.0.1:8300/v1`).
    case openAICompatible(url: String)

    /// The environment variable naming the Whisper server to use when no engine is given.
    public static let urlEnvironmentVariable = "CALLAUDIO_TRANSCRIBER_URL"

    /// `pocketsphinx`, or an `http://` / `https://` URL.
    /// - Throws: `TranscriptionError.misconfigured` for anything else.
    public init(parsing text: String) throws {
        if text == "pocketsphinx" {
            self = .pocketsphinx
        } else if let url = URL(string: text), ["http", "https"].contains(url.scheme), url.host != nil {
            self = .openAICompatible(url: text)
        } else {
            throw TranscriptionError(
                .misconfigured, "--transcriber \(text): give pocketsphinx or the http(s) URL of a transcription server")
        }
    }

    /// The engine given, else the server named by `CALLAUDIO_TRANSCRIBER_URL`, else the embedded engine; with
    /// the one line that tells the user which and why.
    public static func resolve(
        _ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (choice: TranscriberChoice, explanation: String) {
        if let given { return (try TranscriberChoice(parsing: given), "transcribing with \(given)") }
        if let url = environment[urlEnvironmentVariable], !url.isEmpty {
            return (try TranscriberChoice(parsing: url), "transcribing with \(url) (from \(urlEnvironmentVariable))")
        }
        return (
            .pocketsphinx,
            "transcribing with the embedded pocketsphinx engine (set \(urlEnvironmentVariable) or --transcriber to use a Whisper server)"
        )
    }

    /// A ready engine of this choice; a server is asked for `model` through `transport`, with the API key from
    /// `CALLAUDIO_TRANSCRIBER_API_KEY` when that is set.
    /// - Throws: `TranscriptionError.misconfigured` when it cannot be set up.
    public func makeTranscriber(
        model: String = OpenAITranscriber.defaultModel,
        environment: [String: String] = ProcessInfo.processInfo.environment, transport: any HTTPTransport
    ) throws -> any Transcriber {
        switch self {
        case .pocketsphinx: return try PocketSphinxTranscriber()
        case .openAICompatible(let url):
            return try OpenAITranscriber(
                baseURL: url, model: model, apiKey: environment[OpenAITranscriber.apiKeyEnvironmentVariable],
                transport: transport)
        }
    }
}
