import AudioCore

/// A speech recognition engine: turns one stretch of one leg's speech into text with times.
///
/// Engines see only speech (the caller cuts each leg at silences with webrtc's voice detector), one leg at a
/// time, as 16 kHz mono. Adding an engine is one new conforming type. Like `AudioSource`, an engine is used by
/// one pipeline on one thread (it may own C state or a connection), so it is not `Sendable`, unless it is a
/// `ConcurrentTranscriber`; work that must not block a Swift concurrency thread runs on the job workers' threads.
public protocol Transcriber: AnyObject {
    /// The engine's name as written into `call.transcript.json` (`moonshine`, `pocketsphinx`, `openai`).
    var engineName: String { get }
    /// The model the engine uses, as written into `call.transcript.json`.
    var modelName: String { get }
    /// The longest clip, in seconds, worth giving the engine: consecutive stretches of a leg's speech are joined
    /// into clips up to this long (`JoinedSpeech`); 0 gives it each stretch on its own.
    var longestClip: Double { get }
    /// Whether the engine's confidence tells a better reading of a leg from a worse one, so that a noisy leg is
    /// worth reading several ways, cleaned and raw, and keeping the best of them (`LegReadings.kept`). False
    /// unless an engine says so.
    var ranksByConfidence: Bool { get }
    /// Recognises `clip` and returns what was said, timed on the call's timeline (`clip.start` added).
    /// An empty array means the engine heard no words; errors are `TranscriptionError`s.
    func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech]
}

extension Transcriber {
    public var ranksByConfidence: Bool { false }
}

/// An engine that recognises several clips side by side (a server taking requests in parallel), so it is used from
/// several threads at once: a leg's clips are sent `clipsAtOnce` at a time (`SideBySide`).
public protocol ConcurrentTranscriber: Transcriber, Sendable {
    /// How many clips the engine is given at once.
    var clipsAtOnce: Int { get }
}

/// What an engine returns for one piece of a clip, before the speaker is attached.
public struct RecognizedSpeech: Sendable, Hashable {
    /// Seconds on the call's timeline.
    public var start: Double
    public var end: Double
    public var text: String
    /// 0...1, nil when the engine gives none.
    public var confidence: Double?
    public var words: [TranscriptWord]

    public init(start: Double, end: Double, text: String, confidence: Double? = nil, words: [TranscriptWord] = []) {
        self.start = start
        self.end = end
        self.text = text
        self.confidence = confidence
        self.words = words
    }
}

/// A stretch of one leg's speech handed to an engine: 16 kHz mono samples and where they start on the call.
public struct SpeechClip: Sendable {
    /// The rate every engine is given: the en-us acoustic models and Whisper both expect 16 kHz.
    public static let sampleRate = 16_000

    /// Seconds on the call's timeline at which the first sample was spoken.
    public var start: Double
    /// Mono samples at `SpeechClip.sampleRate`, -1...1.
    public var samples: [Float]
    /// The language asked for (ISO 639-1, `en`).
    public var language: String

    public init(start: Double, samples: [Float], language: String) {
        self.start = start
        self.samples = samples
        self.language = language
    }

    public var duration: Double { Double(samples.count) / Double(Self.sampleRate) }

    /// The samples as 16-bit PCM, as most engines take them.
    public var pcm16: [Int16] {
        samples.map { Int16(max(-1, min(1, $0)) * Float(Int16.max)) }
    }
}
