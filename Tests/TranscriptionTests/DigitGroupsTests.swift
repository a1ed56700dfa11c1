import Testing

@testable import CallTranscription

/// Numbers read digit by digit come out as digit groups split at the speaker's pauses, in words and text alike.
@Suite struct DigitGroupsTests {
    static func speech(_ words: [(String, Double)]) -> RecognizedSpeech {
        RecognizedSpeech(
            start: 0, end: 10, text: words.map(\.0).joined(), confidence: nil,
            words: words.map { TranscriptWord(word: $0.0, start: $0.1, end: $0.1 + 0.3) })
    }

    @Test func digitsReadOneByOneBecomeGroupsSplitAtPauses() {
        let said = Self.speech([
            (" It", 0), (" is", 0.3), (" Five,", 1), (" 5,", 1.5), (" five.", 2), (" One", 3), (" two", 3.4),
            (" 3.", 3.8), (" Thanks.", 5),
        ])
        let grouped = DigitGroups.apply(to: said)
        #expect(grouped.text == "It is 555 123 Thanks.")
        #expect(grouped.words.map(\.word) == [" It", " is", "555", "123", " Thanks."])
        #expect(grouped.words[2].start == 1 && grouped.words[2].end == 2.3)
    }

    @Test func aGroupIsAsSureAsItsLeastSureDigit() {
        var said = Self.speech([(" One", 0), (" two", 0.4), (" three", 0.8)])
        for (index, probability) in [0.9, 0.4, 0.8].enumerated() { said.words[index].probability = probability }
        #expect(DigitGroups.apply(to: said).words.map(\.probability) == [0.4])
        said.words[1].probability = nil
        #expect(DigitGroups.apply(to: said).words.map(\.probability) == [nil])
    }

    @Test func shortRunsAreLeftAlone() {
        let said = Self.speech([(" Press", 0), (" 1", 0.3), (" or", 0.6), (" two.", 0.9)])
        #expect(DigitGroups.apply(to: said) == said)
        for text in ["4.1.1", "Press 1 or two."] {
            let bare = RecognizedSpeech(start: 0, end: 1, text: text, confidence: nil, words: [])
            #expect(DigitGroups.apply(to: bare) == bare)
        }
    }

    /// Moonshine gives no word times: its text is grouped where a sentence ends, as it punctuates numbers read out.
    @Test func speechWithoutWordTimesIsGroupedAtSentenceEnds() {
        let said = RecognizedSpeech(
            start: 0, end: 9, text: "It is Zero, eight, zero. Seven, six, nine. One, nine, four, 9, thanks.",
            confidence: nil, words: [])
        #expect(DigitGroups.apply(to: said).text == "It is 080 769 1949 thanks.")
    }
}
