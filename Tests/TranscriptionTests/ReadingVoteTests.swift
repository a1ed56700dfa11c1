import CallAudio
import Testing

@testable import CallTranscription

/// Three readings of a leg voted on word by word: the reading closest to the others is the pivot, and each of its
/// words gives way to what most readings heard in its place.
@Suite struct ReadingVoteTests {
    /// A segment saying `text` from `start`, a word every half second, each word as sure as `probability`.
    static func segment(
        _ text: String, at start: Double, probability: Double = 0.5, confidence: Double = 0.5
    ) -> TranscriptSegment {
        let words = text.split(separator: " ").enumerated().map { index, word in
            let wordStart = start + Double(index) * 0.5
            return TranscriptWord(word: String(word), start: wordStart, end: wordStart + 0.4, probability: probability)
        }
        return TranscriptSegment(
            start: start, end: words.last?.end ?? start, speaker: "Caller", leg: 0, text: text, confidence: confidence,
            words: words)
    }

    static func readings(_ segments: [(NoiseSuppressor.Level, [TranscriptSegment])]) -> LegReadings {
        var readings = LegReadings()
        for (cleanup, segments) in segments { readings.add(segments, cleanup: cleanup, legEnd: 20) }
        return readings
    }

    @Test func theReadingClosestToTheOthersIsKeptAndTheSurestBreaksATie() {
        // "hello there" is one word from each of the others, which are two apart: it is kept, though least sure.
        let closest = Self.readings([
            (.moderate, [Self.segment("hello hair", at: 1)]), (.off, [Self.segment("yellow there", at: 1)]),
            (.deep, [Self.segment("hello there", at: 1, confidence: 0.1)]),
        ])
        #expect(closest.kept?.cleanup == .deep)
        #expect(closest.kept?.segments.map(\.text) == ["hello there"])

        let tie = Self.readings([
            (.moderate, [Self.segment("hello there", at: 1)]),
            (.off, [Self.segment("hello there", at: 1, confidence: 0.9)]),
            (.deep, [Self.segment("hello there", at: 1)]),
        ])
        #expect(tie.kept?.cleanup == .off)
    }

    @Test func aWordMostReadingsHeardOtherwiseIsReplacedAndOneTheyDidNotHearGoes() throws {
        // The pivot (moderate) agrees with raw on three words and with deep on three others, so it is the closest,
        // yet both heard "pound" for its "sign" and nothing for its "uh". Raw cut its speech in two elsewhere:
        // words are matched by time, not by segment.
        let voted = try #require(
            Self.readings([
                (
                    .moderate,
                    [
                        Self.segment("please enter your conference number followed by the sign", at: 0),
                        Self.segment("uh", at: 10),
                    ]
                ),
                (
                    .off,
                    [
                        Self.segment("please inter you", at: 0, probability: 0.6),
                        Self.segment("conference numbers followed by the pound", at: 1.5, probability: 0.6),
                    ]
                ),
                (.deep, [Self.segment("police enter your confidence number follow by the pound", at: 0)]),
            ]
            ).kept)
        #expect(voted.cleanup == .moderate)
        #expect(voted.segments.map(\.text) == ["please enter your conference number followed by the pound"])
        let pound = try #require(voted.segments.first?.words.last)
        // The word that replaced "sign" is raw's, with its time and probability.
        #expect(pound.word == "pound" && pound.start == 1.5 + 2.5 && pound.probability == 0.6)
        #expect(voted.segments[0].words.count == 9)
    }

    /// A reading in which the engine heard nothing (DeepFilterNet3 took a quiet caller for noise) is as far from
    /// the others as they have words: never the pivot, and no vote of its own can remove a word.
    @Test func aReadingThatHeardNothingIsNotKept() {
        let kept = Self.readings([
            (.moderate, [Self.segment("hello there", at: 1)]), (.off, [Self.segment("hello hair", at: 1)]),
            (.deep, []),
        ]).kept
        #expect(kept?.cleanup == .moderate)
        #expect(kept?.segments.map(\.text) == ["hello there"])
    }

    @Test func wordsAreComparedWithoutCaseOrPunctuation() {
        #expect(ReadingVote.key("Key.") == ReadingVote.key("key"))
        #expect(ReadingVote.key("party's") != ReadingVote.key("party"))
        let unchanged = Self.readings([
            (.moderate, [Self.segment("Press 4.", at: 0)]), (.off, [Self.segment("press 4", at: 0)]),
            (.deep, [Self.segment("press, 4", at: 0)]),
        ]).kept
        #expect(unchanged?.segments.map(\.text) == ["Press 4."])
    }

    @Test func wordsAlignWithTheFewestEdits() {
        let alignment = WordAlignment(["a", "b", "c", "d"], ["a", "x", "c", "e", "d"])
        #expect(alignment.distance == 2)
        #expect(alignment.pairs == [0, 1, 2, 4])
        #expect(WordAlignment([], ["a"]).distance == 1)
        #expect(WordAlignment(["a", "b"], []).pairs == [nil, nil])
    }
}
