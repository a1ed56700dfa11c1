/// A transcript asked for together with a recording: which engine, model and language. The engine is resolved
/// where the transcription runs (a job's worker), so a recipe can leave it to that machine's configuration.
/// It never holds an API key: engines read theirs from the environment of the process that runs them.
public struct TranscriptionRequest: Codable, Sendable, Hashable {
    /// `moonshine`, `pocketsphinx`, the http(s) URL of an OpenAI-compatible server, or nil for the default of the
    /// machine that runs it (`CALLAUDIO_TRANSCRIBER_URL`, else Moonshine where installed, else pocketsphinx).
    public var engine: String?
    /// The model a server is asked for; nil for the engine's default.
    public var model: String?
    /// ISO 639-1 code of the language spoken.
    public var language: String

    public init(engine: String? = nil, model: String? = nil, language: String = "en") {
        self.engine = engine
        self.model = model
        self.language = language
    }
}
