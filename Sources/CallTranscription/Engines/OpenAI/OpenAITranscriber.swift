import Foundation
import HTTPExchange

/// The `openai` engine: any server speaking OpenAI's `POST {base}/audio/transcriptions` (OpenAI itself, the
/// bundled Whisper server in tools/whisper-server, faster-whisper-server, LocalAI, ...).
///
/// Each clip (a stretch of speech the segmenter cut at silences, at most 25 s) is uploaded as 16 kHz 16-bit
/// mono WAV, about 0.8 MB, far below the API's 25 MB limit, which is checked all the same. It asks for
/// `verbose_json` with segment and word timestamps. Busy or failing servers (429, 5xx, connection errors,
/// timeouts) are retried with exponential backoff, honouring `Retry-After`; other 4xx replies and replies
/// that are not a transcription fail at once. The API key is read from the environment and sent only in the
/// `Authorization` header: it is never stored, logged or part of an error. Requests go through the
/// `HTTPTransport` given (`NIOHTTPTransport` from `CallHTTP` in the command lines and workers).
public final class OpenAITranscriber: ConcurrentTranscriber {
    /// The environment variable holding the API key (`Authorization: Bearer ...`); unset for local servers.
    public static let apiKeyEnvironmentVariable = "CALLAUDIO_TRANSCRIBER_API_KEY"
    /// The model asked for when none is given: OpenAI's name for Whisper. The bundled server answers to any name.
    public static let defaultModel = "whisper-1"
    /// The API's limit on one upload.
    public static let maximumUploadBytes = 25 * 1024 * 1024

    /// How often and how patiently a busy or failing server is asked again.
    public struct RetryPolicy: Sendable {
        /// Requests made in all, the first included.
        public var attempts: Int
        /// The wait before the first retry, doubled for each later one.
        public var initialDelay: Double
        /// The longest wait, also the cap on a server's `Retry-After`.
        public var maximumDelay: Double
        /// The longest wait for one reply.
        public var timeout: Double

        public init(attempts: Int = 4, initialDelay: Double = 1, maximumDelay: Double = 30, timeout: Double = 120) {
            self.attempts = attempts
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
            self.timeout = timeout
        }
    }

    public let engineName = "openai"
    /// Whisper reads 30 s at a time whatever it is given: stretches joined up to 28 s cost one window instead
    /// of one each, and on the real-speech call tiny.en got 4 words wrong in 214 instead of 9 (0 of 68 digits
    /// either way; benchmarks/RESULTS.md, section 15).
    public let longestClip = 28.0
    /// Whisper's confidence (from each segment's `avg_logprob`) tells the better of a leg's two readings, raw
    /// and cleaned (benchmarks/RESULTS.md, section 19), and breaks ties between three in their vote.
    public let ranksByConfidence = true
    /// Two clips are sent at once: the bundled server recognises two side by side (its `--workers`), and on two
    /// cores the real-speech call went from 20.7x to 36.2x realtime, ahead of faster-whisper called directly
    /// (benchmarks/RESULTS.md, section 20); a server that takes one at a time answers the second after the first.
    public let clipsAtOnce = 2
    public let modelName: String
    private let endpoint: URL
    private let apiKey: String?
    private let policy: RetryPolicy
    private let transport: any HTTPTransport

    /// - Parameters:
    ///   - baseURL: the API's base, such as `http://127.0.0.1:8300/v1`; `/audio/transcriptions` is appended.
    ///   - apiKey: sent as a bearer token when given.
    ///   - transport: what carries each request.
    /// - Throws: `TranscriptionError.misconfigured` for a URL that is not http(s).
    public init(
        baseURL: String, model: String = OpenAITranscriber.defaultModel, apiKey: String? = nil,
        policy: RetryPolicy = RetryPolicy(), transport: any HTTPTransport
    ) throws {
        guard let base = URL(string: baseURL), ["http", "https"].contains(base.scheme), base.host != nil else {
            throw TranscriptionError(.misconfigured, "\(baseURL): not the http(s) URL of a transcription server")
        }
        endpoint = base.appendingPathComponent("audio/transcriptions")
        modelName = model
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.policy = policy
        self.transport = transport
    }

    public func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
        let form = MultipartForm()
        form.addFile("file", filename: "speech.wav", contentType: "audio/wav", data: WAVFile.pcm16(clip))
        form.addField("model", modelName)
        form.addField("language", clip.language)
        form.addField("response_format", "verbose_json")
        form.addField("timestamp_granularities[]", "segment")
        form.addField("timestamp_granularities[]", "word")
        let body = form.finished()
        guard body.count <= Self.maximumUploadBytes else {
            throw TranscriptionError(
                .rejected, "a \(Int(clip.duration)) s clip is more than the API's 25 MB per upload")
        }
        var headers = [(name: "Content-Type", value: form.contentType), (name: "User-Agent", value: "callaudio")]
        if let apiKey { headers.append((name: "Authorization", value: "Bearer \(apiKey)")) }
        let reply = try send(
            HTTPRequest(method: "POST", url: endpoint, headers: headers, body: body, timeout: policy.timeout))
        return try VerboseTranscription.parse(reply, server: endpoint.absoluteString).speech(offsetBy: clip.start)
    }

    /// Posts `body`, retrying what may pass later; returns the body of the 200 reply.
    private func send(_ request: HTTPRequest) throws -> Data {
        var delay = policy.initialDelay
        var lastProblem = ""
        for attempt in 1...max(1, policy.attempts) {
            let reply = Result { try transport.send(request) }
            switch reply {
            case .success(let reply) where reply.status == 200:
                return reply.body
            case .success(let reply) where reply.status == 429 || reply.status >= 500:
                lastProblem = "HTTP \(reply.status)\(Self.errorMessage(in: reply.body).map { ": \($0)" } ?? "")"
                if let retryAfter = Self.retryAfter(reply.header("Retry-After")) { delay = retryAfter }
            case .success(let reply):
                throw TranscriptionError(
                    .rejected,
                    "\(endpoint.absoluteString) refused the request: HTTP \(reply.status)"
                        + (Self.errorMessage(in: reply.body).map { ": \($0)" } ?? ""))
            case .failure(let error):
                lastProblem = String(describing: error)
            }
            guard attempt < policy.attempts else { break }
            Thread.sleep(forTimeInterval: min(delay, policy.maximumDelay))
            delay *= 2
        }
        throw TranscriptionError(
            .engineUnavailable,
            "\(endpoint.absoluteString) is unavailable after \(policy.attempts) attempts (last: \(lastProblem))")
    }

    /// A `Retry-After` value in seconds (RFC 9110 allows seconds or an HTTP date).
    static func retryAfter(_ value: String?) -> Double? {
        guard let value else { return nil }
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    /// OpenAI's `{"error": {"message": ...}}`, or the start of a plain-text body, for error messages.
    static func errorMessage(in data: Data) -> String? {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                return String(message.prefix(300))
            }
            if let detail = object["detail"] as? String { return String(detail.prefix(300)) }
        }
        let text = String(decoding: data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
