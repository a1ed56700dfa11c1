import Foundation

/// Writes numbers read digit by digit the same way every time: as digit groups split where the speaker paused
/// ("five five five, one two three..." → "555 123 4567"), in a segment's words and its text alike. Whisper
/// writes the same digits as "5, 5, 5.", "5 5 5", "Five, five, five." or "5.5.5" from one stretch to the next.
///
/// A run of at least `minimumDigits` words that are each one digit (a numeral or a digit's name) becomes one
/// word per group, a new group starting where the pause between two digits is at least `groupPause` seconds.
/// The segment's text is then its words joined, so that text and words agree. Speech with no word times (Moonshine
/// gives none) has its text grouped the same way, a new group starting after a digit that ends a sentence
/// ("Zero, eight, zero. Seven, six, nine." → "080 769").
public enum DigitGroups {
    public static let minimumDigits = 3
    public static let groupPause = 0.45

    /// `speech` with its digit runs grouped.
    public static func apply(to speech: RecognizedSpeech) -> RecognizedSpeech {
        guard !speech.words.isEmpty else { return groupingText(of: speech) }
        var words: [TranscriptWord] = []
        var run: [(digit: Character, word: TranscriptWord)] = []
        var changed = false
        func flush() {
            if run.count >= minimumDigits {
                changed = true
                var group = [run[0]]
                for item in run.dropFirst() {
                    if item.word.start - group.last!.word.end >= groupPause {
                        words.append(word(of: group))
                        group = []
                    }
                    group.append(item)
                }
                words.append(word(of: group))
            } else {
                words += run.map(\.word)
            }
            run = []
        }
        for word in speech.words {
            if let digit = digit(of: word.word) {
                run.append((digit, word))
            } else {
                flush()
                words.append(word)
            }
        }
        flush()
        guard changed else { return speech }
        var grouped = speech
        grouped.words = words
        grouped.text = words.map { $0.word.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return grouped
    }

    /// `speech`, which has no word times, with the digit runs of its text grouped at sentence ends.
    private static func groupingText(of speech: RecognizedSpeech) -> RecognizedSpeech {
        var tokens: [String] = []
        var run: [(digit: Character, endsSentence: Bool, token: String)] = []
        func flush() {
            if run.count >= minimumDigits {
                var group = ""
                for item in run {
                    group.append(item.digit)
                    if item.endsSentence {
                        tokens.append(group)
                        group = ""
                    }
                }
                if !group.isEmpty { tokens.append(group) }
            } else {
                tokens += run.map(\.token)
            }
            run = []
        }
        for token in speech.text.split(separator: " ").map(String.init) {
            if let digit = digit(of: token) {
                run.append((digit, token.last.map { ".?!".contains($0) } ?? false, token))
            } else {
                flush()
                tokens.append(token)
            }
        }
        flush()
        var grouped = speech
        grouped.text = tokens.joined(separator: " ")
        return grouped
    }

    /// The digit a word says, if it says exactly one ("7", "Seven,", " seven.").
    static func digit(of word: String) -> Character? {
        let bare = word.lowercased().trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
        if bare.count == 1, let character = bare.first, character.isASCII, character.isNumber { return character }
        return names[bare]
    }

    /// One word for a group of digits, as sure as its least sure digit.
    private static func word(of group: [(digit: Character, word: TranscriptWord)]) -> TranscriptWord {
        let probabilities = group.compactMap(\.word.probability)
        return TranscriptWord(
            word: String(group.map(\.digit)), start: group.first!.word.start, end: group.last!.word.end,
            probability: probabilities.count == group.count ? probabilities.min() : nil)
    }

    private static let names: [String: Character] = [
        "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
        "seven": "7", "eight": "8", "nine": "9",
    ]
}
