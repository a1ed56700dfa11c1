import AudioCore
import Foundation
import HTTPExchange

/// Which engine to use, from the CLI's `--transcriber NAME|URL`, a recipe, or the environment.
public enum TranscriberChoice: Sendable, Hashable, Codable {
    /// The in-process PocketSphinx engine: always there, the last resort.
    case pocketsphinx
    /// The in-process Moonshine engine, where `scripts/install-moonshine.sh` has installed it.
    case moonshine
    /// A server speaking OpenAI's `POST /v1/audio/transcriptions`, at this base URL (`http://127.0.0.1:8300/v1`).
    case openAICompatible(url: String)

    /// The environment variable naming the Whisper server to use when no engine is given.
    public static let urlEnvironmentVariable = "CALLAUDIO_TRANSCRIBER_URL"

    /// `moonshine`, `pocketsphinx`, or an `http://` / `https://` URL.
    /// - Throws: `TranscriptionError.misconfigured` for anything else.
    public init(parsing text: String) throws {
        if text == "pocketsphinx" {
            self = .pocketsphinx
        } else if text == "moonshine" {
            self = .moonshine
        } else if let url = URL(string: text), ["http", "https"].contains(url.scheme), url.host != nil {
            self = .openAICompatible(url: text)
        } else {
            throw TranscriptionError(
                .misconfigured,
                "--transcriber \(text): give moonshine, pocketsphinx or the http(s) URL of a transcription server")
        }
    }

    /// The engine given, else the server named by `CALLAUDIO_TRANSCRIBER_URL`, else the embedded Moonshine engine
    /// where it is installed, else pocketsphinx; with the one line that tells the user which and why.
    /// - Throws: `TranscriptionError.misconfigured` for an unknown engine, or a Moonshine installation that is
    ///   there but damaged (rather than silently falling back to a far worse engine).
    public static func resolve(
        _ given: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> (choice: TranscriberChoice, explanation: String) {
        if let given { return (try TranscriberChoice(parsing: given), "transcribing with \(given)") }
        if let url = environment[urlEnvironmentVariable], !url.isEmpty {
            return (try TranscriberChoice(parsing: url), "transcribing with \(url) (from \(urlEnvironmentVariable))")
        }
        let server = "set \(urlEnvironmentVariable) or --transcriber to use a Whisper server"
        do {
            _ = try MoonshineInstallation.locate(environment: environment)
            return (.moonshine, "transcribing with the embedded Moonshine engine (\(server))")
        } catch let error where error.code == .fileNotFound {
            return (
                .pocketsphinx,
                "transcribing with the embedded pocketsphinx engine, far less accurate (install Moonshine with "
                    + "scripts/install-moonshine.sh, or \(server))"
            )
        } catch {
            throw TranscriptionError(.misconfigured, error.description)
        }
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
        case .moonshine:
            do {
                return try MoonshineTranscriber(
                    installation: try MoonshineInstallation.locate(environment: environment))
            } catch let error as AudioError {
                throw TranscriptionError(.misconfigured, error.description)
            }
        case .openAICompatible(let url):
            return try OpenAITranscriber(
                baseURL: url, model: model, apiKey: environment[OpenAITranscriber.apiKeyEnvironmentVariable],
                transport: transport)
        }
    }
}
