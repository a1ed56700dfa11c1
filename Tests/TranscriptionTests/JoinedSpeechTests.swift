import CallAudio
import Testing

@testable import CallTranscription

/// Stretches of a leg's speech joined into one clip come back to their own places on the leg.
@Suite struct JoinedSpeechTests {
    static let rate = 100
    /// `seconds` of speech starting `start` seconds into the leg, at 100 samples a second.
    static func span(at start: Double, seconds: Double) -> SpeechSpan {
        SpeechSpan(start: start, samples: [Float](repeating: 0.5, count: Int(seconds * Double(rate))))
    }

    @Test func timesInTheClipAreMovedBackToTheLeg() {
        var clip = JoinedSpeech(sampleRate: Self.rate)
        clip.append(Self.span(at: 2, seconds: 3))  // clip 0...3
        clip.append(Self.span(at: 10, seconds: 4))  // clip 3.3...7.3
        #expect(clip.duration == 7.3)
        #expect(clip.samples[300..<330].allSatisfy { $0 == 0 }, "a silence between the two stretches")
        #expect(clip.legTime(1) == 3)
        #expect(clip.legTime(3.1) == 5, "early in the joining silence: the end of the stretch before")
        #expect(clip.legTime(3.2) == 10, "late in it: the start of the stretch after")
        #expect(abs(clip.legTime(4.3) - 11) < 1e-9)
        #expect(clip.legEnd == 14)

        let inOne = RecognizedSpeech(
            start: 3.3, end: 5.3, text: "four one one", confidence: 0.9,
            words: [
                TranscriptWord(word: " four", start: 3.5, end: 3.9), TranscriptWord(word: " one", start: 4.3, end: 4.6),
            ])
        let placed = clip.placing(inOne, offsetBy: 100)
        #expect(placed.count == 1)
        #expect(placed[0].start == 110 && abs(placed[0].end - 112) < 1e-9)
        #expect(placed[0].words.map { ($0.start * 10).rounded() / 10 } == [110.2, 111])
        #expect(placed[0].text == "four one one")

        let acrossTheJoin = RecognizedSpeech(
            start: 1, end: 5, text: "Hello. Thank you.", confidence: 0.8,
            words: [
                TranscriptWord(word: " Hello.", start: 1, end: 2), TranscriptWord(word: " Thank", start: 3.4, end: 3.8),
                TranscriptWord(word: " you.", start: 3.8, end: 4.2),
            ])
        let split = clip.placing(acrossTheJoin, offsetBy: 0)
        #expect(split.map(\.text) == ["Hello.", "Thank you."], "one segment per stretch")
        #expect(split.map(\.start) == [3, 10.1])
        #expect(split.allSatisfy { $0.confidence == 0.8 })
    }

    @Test func aClipTakesStretchesUpToItsLongestLength() {
        var clip = JoinedSpeech(sampleRate: Self.rate)
        #expect(clip.admits(Self.span(at: 0, seconds: 40), within: 28), "an empty clip takes any stretch")
        clip.append(Self.span(at: 0, seconds: 20))
        #expect(clip.admits(Self.span(at: 30, seconds: 7.7), within: 28))
        #expect(!clip.admits(Self.span(at: 30, seconds: 7.8), within: 28))
        #expect(!clip.admits(Self.span(at: 30, seconds: 0.1), within: 0), "0 keeps each stretch on its own")
    }
}
