import CallAudio

/// The transcript of one call: who said what, and when, on the call's timeline.
///
/// This is the schema of `call.transcript.json` (keys as written):
/// ```
/// { "engine": "pocketsphinx", "model": "en-us", "language": "en", "cleanup": ["off", "moderate"],
///   "segments": [ { "start": 1.02, "end": 3.4, "speaker": "Agent", "leg": 1,
///                   "text": "I can refund that today", "confidence": 0.91,
///                   "words": [ { "word": "I", "start": 1.02, "end": 1.1 }, ... ] } ] }
/// ```
/// Times are seconds from the start of the call (the first leg's start), with each leg's offset applied;
/// `leg` is the leg's index (0-based) in the recipe; `confidence` is 0...1, or null when the engine gives none;
/// `words` is empty when the engine gives no word times. Segments are in time order. `cleanup` is, leg by leg, the
/// noise suppression the leg was read after (`off`, `moderate`, ...; absent from transcripts written before it).
public struct Transcript: Codable, Sendable, Hashable {
    /// The engine that produced the text (`moonshine`, `pocketsphinx`, `openai`).
    public var engine: String
    /// The engine's model (`en-us`, `whisper-1`, a model folder's name).
    public var model: String
    /// The language asked for, as an ISO 639-1 code.
    public var language: String
    /// Leg by leg, the clean-up before recognition of the reading kept, or of the reading a leg's vote started
    /// from (`LegReadings.kept`).
    public var cleanup: [NoiseSuppressor.Level]?
    public var segments: [TranscriptSegment]

    public init(
        engine: String, model: String, language: String, cleanup: [NoiseSuppressor.Level]? = nil,
        segments: [TranscriptSegment]
    ) {
        self.engine = engine
        self.model = model
        self.language = language
        self.cleanup = cleanup
        self.segments = segments
    }

    /// The number of words in the transcript's text.
    public var wordCount: Int { segments.reduce(0) { $0 + $1.text.split(whereSeparator: \.isWhitespace).count } }
}

/// One stretch of speech by one speaker.
public struct TranscriptSegment: Codable, Sendable, Hashable {
    /// Seconds on the call's timeline.
    public var start: Double
    public var end: Double
    /// Who spoke: the leg's role, capitalised for reading ("Agent"), or "Speaker N" when the leg has none.
    public var speaker: String
    /// The leg's index (0-based) in the call.
    public var leg: Int
    public var text: String
    /// The engine's confidence, 0...1; nil when the engine gives none.
    public var confidence: Double?
    /// Per-word times on the call's timeline; empty when the engine gives none.
    public var words: [TranscriptWord]

    public init(
        start: Double, end: Double, speaker: String, leg: Int, text: String, confidence: Double?,
        words: [TranscriptWord]
    ) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.leg = leg
        self.text = text
        self.confidence = confidence
        self.words = words
    }

    enum CodingKeys: String, CodingKey { case start, end, speaker, leg, text, confidence, words }

    /// Writes `confidence` as an explicit null rather than leaving the key out, so every segment has every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(speaker, forKey: .speaker)
        try container.encode(leg, forKey: .leg)
        try container.encode(text, forKey: .text)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(words, forKey: .words)
    }
}

/// One recognised word and when it was said, in seconds on the call's timeline.
public struct TranscriptWord: Codable, Sendable, Hashable {
    public var word: String
    public var start: Double
    public var end: Double
    /// The engine's confidence in the word, 0...1 (Whisper's word probability); nil, and left out of the JSON, when
    /// the engine gives none.
    public var probability: Double?

    public init(word: String, start: Double, end: Double, probability: Double? = nil) {
        self.word = word
        self.start = start
        self.end = end
        self.probability = probability
    }
}
