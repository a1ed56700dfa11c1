import AudioTesting
import CallHTTP
import Foundation
import Testing

@testable import CallTranscription

/// The `openai` engine against a scripted OpenAI-compatible server (Tests/Scripts/scripted_transcription_server.py):
/// what it sends, how it reads a reply, and how it meets a busy, failing, refusing, garbled or silent server.
@Suite struct OpenAITranscriberTests {
    struct Received: Decodable {
        struct Upload: Decodable {
            var filename: String
            var type: String
            var bytes: Int
            var wav: Bool
        }

        var path: String
        var fields: [String: FieldValue]
        var file: Upload?
        var authorization: String?
    }

    /// A form field sent once (a string) or repeated (a list).
    enum FieldValue: Decodable, Equatable {
        case one(String)
        case many([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                self = .many(list)
            } else {
                self = .one(try container.decode(String.self))
            }
        }
    }

    static let folder = Result { try Fixtures.scratchFolder("scripted-transcription") }
    static let server = Result {
        try ScriptedServer(
            "/usr/bin/python3",
            [
                Fixtures.packageRoot.appendingPathComponent("Tests")
                    .appendingPathComponent("Scripts/scripted_transcription_server.py").path,
                try folder.get().path,
            ])
    }

    /// A two-second clip of tone placed 10 s into the call.
    static let clip = SpeechClip(
        start: 10, samples: Signals.sine(300, amplitude: 0.3, seconds: 2, format: .mono(16_000)).samples,
        language: "en")

    /// An engine for `scenario` (the scripted server's behaviour), with a model name no other test uses.
    static func engine(
        _ scenario: String, apiKey: String? = nil,
        policy: OpenAITranscriber.RetryPolicy = .init(attempts: 3, initialDelay: 0.2, timeout: 30)
    ) throws -> (OpenAITranscriber, model: String) {
        let model = "\(scenario)-\(UUID().uuidString)"
        let engine = try OpenAITranscriber(
            baseURL: "http://127.0.0.1:\(try server.get().port)/v1", model: model, apiKey: apiKey, policy: policy,
            transport: NIOHTTPTransport())
        return (engine, model)
    }

    /// The requests the server received for `model`, oldest first.
    static func received(_ model: String) throws -> [Received] {
        let file = try folder.get().appendingPathComponent("requests.jsonl")
        // The server writes the log with its first request: none yet is none for this model either.
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let log = try String(contentsOf: file, encoding: .utf8)
        return try log.split(separator: "\n").map { try JSONDecoder().decode(Received.self, from: Data($0.utf8)) }
            .filter { $0.fields["model"] == .one(model) }
    }

    @Test func sendsTheOpenAIFormAndReadsSegmentsAndWordsOnTheCallsTimeline() throws {
        let (engine, model) = try Self.engine("ok", apiKey: "sk-test-123")
        let speech = try engine.transcribe(Self.clip)
        #expect(speech.map(\.text) == ["Hello there.", "How can I help?"])
        #expect(speech.map(\.start) == [10.5, 12.0])
        #expect(speech.map(\.end) == [11.5, 13.5])
        #expect(speech[0].words.map(\.word) == ["Hello", "there."])
        // A word's probability (the bundled server sends it; OpenAI's API does not) is kept where given.
        #expect(speech[0].words.map(\.probability) == [0.75, nil])
        #expect(speech[1].words.map(\.start) == [12.0, 12.3, 12.6, 12.8])
        #expect(abs((speech[0].confidence ?? 0) - exp(-0.1)) < 1e-9)
        let requests = try Self.received(model)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.path == "/v1/audio/transcriptions")
        #expect(request.fields["language"] == .one("en"))
        #expect(request.fields["response_format"] == .one("verbose_json"))
        #expect(request.fields["timestamp_granularities[]"] == .many(["segment", "word"]))
        #expect(request.file?.wav == true)
        #expect(request.file?.type == "audio/wav")
        #expect(request.file?.bytes == 44 + 2 * 32_000, "two seconds of 16 kHz 16-bit mono")
        #expect(request.authorization == "Bearer sk-test-123")
    }

    @Test func aBusyServerIsAskedAgainAfterItsRetryAfter() throws {
        let (engine, model) = try Self.engine("busy")
        let speech = try engine.transcribe(Self.clip)
        #expect(speech.count == 2)
        #expect(try Self.received(model).count == 2)
    }

    @Test func aServerThatStaysDownIsUnavailableAfterTheLastAttempt() throws {
        let (engine, model) = try Self.engine("down")
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .engineUnavailable)
        #expect(!error.isPermanent)
        #expect(error.message.contains("HTTP 503: overloaded"), "\(error)")
        #expect(try Self.received(model).count == 3)
    }

    @Test func aRefusalIsNotRetriedAndCarriesTheServersWordsButNeverTheKey() throws {
        let (engine, model) = try Self.engine("refuse", apiKey: "sk-secret-456")
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .rejected)
        #expect(error.message.contains("HTTP 400: model 'refuse' does not exist"), "\(error)")
        #expect(!error.message.contains("sk-secret-456"))
        #expect(try Self.received(model).count == 1)
    }

    @Test func aReplyThatIsNotATranscriptionIsAClearError() throws {
        let (engine, _) = try Self.engine("malformed")
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .malformedReply)
        #expect(error.message.contains("not a transcription"))
    }

    @Test func aServerSlowerThanTheTimeoutIsUnavailable() throws {
        let (engine, model) = try Self.engine("slow", policy: .init(attempts: 2, initialDelay: 0.1, timeout: 1))
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .engineUnavailable)
        #expect(try Self.received(model).count == 2)
    }

    @Test func aServerThatIsNotThereIsUnavailable() throws {
        let engine = try OpenAITranscriber(
            baseURL: "http://127.0.0.1:9/v1", policy: .init(attempts: 2, initialDelay: 0.1, timeout: 5),
            transport: NIOHTTPTransport())
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .engineUnavailable)
    }

    /// The same server over HTTPS, with a throwaway self-signed certificate for `localhost`.
    static let secureServer = Result {
        let folder = try Self.folder.get()
        let certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        _ = try ExternalTool.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            ])
        let server = try ScriptedServer(
            "/usr/bin/python3",
            [
                Fixtures.packageRoot.appendingPathComponent("Tests/Scripts/scripted_transcription_server.py").path,
                folder.path, "--cert", certificate, "--key", key,
            ])
        return (server, certificate: certificate)
    }

    @Test func speaksHTTPSToAServerWhoseCertificateItTrusts() throws {
        let (server, certificate) = try Self.secureServer.get()
        let model = "ok-\(UUID().uuidString)"
        let engine = try OpenAITranscriber(
            baseURL: "https://localhost:\(server.port)/v1", model: model, apiKey: "sk-tls-456",
            transport: NIOHTTPTransport(trustedCertificates: certificate))
        #expect(try engine.transcribe(Self.clip).map(\.text) == ["Hello there.", "How can I help?"])
        #expect(try Self.received(model).map(\.authorization) == ["Bearer sk-tls-456"])
    }

    @Test func refusesAServerWhoseCertificateNoTrustedAuthoritySigned() throws {
        let (server, _) = try Self.secureServer.get()
        let model = "ok-\(UUID().uuidString)"
        let engine = try OpenAITranscriber(
            baseURL: "https://localhost:\(server.port)/v1", model: model, apiKey: "sk-tls-789",
            policy: .init(attempts: 1, timeout: 10), transport: NIOHTTPTransport())
        let error = try #require(throws: TranscriptionError.self) { try engine.transcribe(Self.clip) }
        #expect(error.kind == .engineUnavailable)
        #expect(!error.message.contains("sk-tls-789"))
        #expect(try Self.received(model).isEmpty, "nothing is sent to a server that is not trusted")
    }

    @Test func retryAfterIsReadInSecondsOrAsAnHTTPDate() {
        #expect(OpenAITranscriber.retryAfter("7") == 7)
        let later = OpenAITranscriber.retryAfter("Sun, 06 Nov 2094 08:49:37 GMT") ?? 0
        #expect(later > 3600)
        #expect(OpenAITranscriber.retryAfter(nil) == nil)
    }
}
