import Foundation

/// OpenAI's `verbose_json` transcription reply: segments with times, and (with `timestamp_granularities[]=word`)
/// words with times, listed beside the segments or inside them depending on the server.
struct VerboseTranscription: Decodable {
    struct Segment: Decodable {
        var start: Double
        var end: Double
        var text: String
        var avgLogprob: Double?
        var words: [Word]?
    }

    struct Word: Decodable {
        var word: String
        var start: Double
        var end: Double
        var probability: Double?
    }

    var text: String?
    var duration: Double?
    var segments: [Segment]?
    var words: [Word]?

    /// Parses a reply from `server`.
    /// - Throws: `TranscriptionError.malformedReply` naming the server for anything else.
    static func parse(_ data: Data, server: String) throws -> VerboseTranscription {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(VerboseTranscription.self, from: data)
        } catch {
            let start = String(decoding: data.prefix(80), as: UTF8.self)
            throw TranscriptionError(.malformedReply, "\(server) sent something that is not a transcription: \(start)")
        }
    }

    /// The segments as the pipeline's speech, `offset` seconds added; a reply with text but no segments (a
    /// server that ignores `verbose_json`) is one segment over the reply's `duration`.
    func speech(offsetBy offset: Double) -> [RecognizedSpeech] {
        let listed =
            segments
            ?? (text.map { [Segment(start: 0, end: duration ?? 0, text: $0, avgLogprob: nil, words: nil)] } ?? [])
        return listed.compactMap { segment in
            let text = segment.text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return nil }
            let words = (segment.words ?? wordsWithin(segment)).map {
                TranscriptWord(
                    word: $0.word.trimmingCharacters(in: .whitespaces), start: $0.start + offset, end: $0.end + offset,
                    probability: $0.probability)
            }
            return RecognizedSpeech(
                start: segment.start + offset, end: segment.end + offset, text: text,
                confidence: segment.avgLogprob.map { min(1, max(0, exp($0))) }, words: words)
        }
    }

    /// The top-level words that start inside `segment`.
    private func wordsWithin(_ segment: Segment) -> [Word] {
        (words ?? []).filter { $0.start >= segment.start - 0.01 && $0.start < segment.end }
    }
}
