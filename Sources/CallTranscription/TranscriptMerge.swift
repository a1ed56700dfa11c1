extension Transcript {
    /// Joins the segments of every leg into one transcript in time order (by start, then by leg, so two
    /// speakers who start together keep a stable order).
    public static func merging(
        _ legs: [[TranscriptSegment]], engine: String, model: String, language: String
    ) -> Transcript {
        let segments = legs.joined().sorted { ($0.start, $0.leg, $0.end) < ($1.start, $1.leg, $1.end) }
        return Transcript(engine: engine, model: model, language: language, segments: segments)
    }
}

extension TranscriptSegment {
    /// A leg's segment from what its engine recognised.
    public init(_ speech: RecognizedSpeech, speaker: String, leg: Int) {
        self.init(
            start: speech.start, end: speech.end, speaker: speaker, leg: leg, text: speech.text,
            confidence: speech.confidence, words: speech.words)
    }

    /// The name a leg's speaker goes by in the transcript: its role capitalised ("agent" reads "Agent"), or
    /// "Speaker N" (1-based) when the leg has no role.
    public static func speakerName(role: String?, leg: Int) -> String {
        guard let role, let first = role.first else { return "Speaker \(leg + 1)" }
        return first.uppercased() + role.dropFirst()
    }
}
