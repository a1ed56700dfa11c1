import CallAudio
import Foundation

/// Consecutive stretches of one leg's speech joined into one clip, a short silence between each two, with the
/// way back from a time in the clip to a time on the leg.
///
/// Whisper reads a 30 s window whatever it is given, so a clip per stretch costs a whole window for a few
/// seconds of speech, and a short stretch read on its own loses the sentence around it. Joined, a two-leg call's
/// turns on one leg are read as faster-whisper's own voice filter reads a whole leg: on the real-speech call
/// (benchmarks/RESULTS.md, section 15) tiny.en got fewer words wrong, in less time.
struct JoinedSpeech {
    /// Seconds of silence put between two stretches (each already keeps 0.2 s of its own quiet at both ends).
    static let joiningSilence = 0.3

    /// One stretch's place in the clip and on the leg.
    private struct Piece {
        var clipStart: Double
        var legStart: Double
        var duration: Double
    }

    private(set) var samples: [Float] = []
    private var pieces: [Piece] = []
    private let sampleRate: Int

    init(sampleRate: Int = SpeechClip.sampleRate) {
        self.sampleRate = sampleRate
    }

    var isEmpty: Bool { pieces.isEmpty }
    /// Seconds of audio in the clip, joining silences included.
    var duration: Double { Double(samples.count) / Double(sampleRate) }
    /// Where on the leg the last stretch ends.
    var legEnd: Double { pieces.last.map { $0.legStart + $0.duration } ?? 0 }

    /// Whether `span` can join the clip without making it longer than `seconds` (an empty clip takes any span).
    func admits(_ span: SpeechSpan, within seconds: Double) -> Bool {
        isEmpty || duration + Self.joiningSilence + Double(span.samples.count) / Double(sampleRate) <= seconds
    }

    mutating func append(_ span: SpeechSpan) {
        if !isEmpty { samples += [Float](repeating: 0, count: Int(Self.joiningSilence * Double(sampleRate))) }
        let duration = Double(span.samples.count) / Double(sampleRate)
        pieces.append(Piece(clipStart: self.duration, legStart: span.start, duration: duration))
        samples += span.samples
    }

    /// The time on the leg of `clipTime` seconds into the clip; a time in a joining silence goes to the nearer
    /// of the two stretches around it, at that stretch's end or start.
    func legTime(_ clipTime: Double) -> Double {
        guard !pieces.isEmpty else { return clipTime }
        let piece = pieces[pieceIndex(at: clipTime)]
        return piece.legStart + min(max(0, clipTime - piece.clipStart), piece.duration)
    }

    /// The stretch that `clipTime` falls in, or the nearer one when it falls in a joining silence.
    private func pieceIndex(at clipTime: Double) -> Int {
        let halfSilence = Self.joiningSilence / 2
        return pieces.lastIndex { $0.clipStart - halfSilence <= clipTime } ?? 0
    }

    /// `speech` recognised in the clip (read from its start at 0), moved to the leg and then by `offset` (the
    /// leg's place on the call's timeline). Speech whose words span two stretches or more is split into one
    /// piece per stretch, so that what was said before and after the other leg's turn stays apart.
    func placing(_ speech: RecognizedSpeech, offsetBy offset: Double) -> [RecognizedSpeech] {
        func placed(_ word: TranscriptWord) -> TranscriptWord {
            let start = legTime(word.start) + offset
            var placed = word
            placed.start = start
            placed.end = max(start, legTime(word.end) + offset)
            return placed
        }
        var groups: [[TranscriptWord]] = []
        var lastPiece: Int?
        for word in speech.words {
            let piece = pieceIndex(at: (word.start + word.end) / 2)
            if piece == lastPiece { groups[groups.count - 1].append(word) } else { groups.append([word]) }
            lastPiece = piece
        }
        guard groups.count > 1 else {
            var whole = speech
            whole.start = legTime(speech.start) + offset
            whole.end = max(whole.start, legTime(speech.end) + offset)
            whole.words = speech.words.map(placed)
            return [whole]
        }
        return groups.map { group in
            let words = group.map(placed)
            return RecognizedSpeech(
                start: words[0].start, end: words[words.count - 1].end,
                text: group.map { $0.word.trimmingCharacters(in: .whitespaces) }.joined(separator: " "),
                confidence: speech.confidence,
                words: words)
        }
    }
}
