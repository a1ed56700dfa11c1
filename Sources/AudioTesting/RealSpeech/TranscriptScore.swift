/// Word error rate and digit error rate of a transcript against what was said, after one stated normalisation
/// of both sides (docs/transcripts.md, "Scoring"):
///
/// 1. lowercase; `#` reads "pound", `*` "star", `%` "percent", `&` "and";
/// 2. apostrophes dropped (`you're` → `youre`), every other character that is not a letter or a digit is a
///    word break (so `4.1.1`, `555-1234` and `call-forward` break into their parts);
/// 3. number words become digits: `zero`/`oh` between digits … `nineteen`, the tens, and a ten followed by a
///    unit (`twenty one` → `21`); `hundred`, `thousand` and ordinals are left as words;
/// 4. every run of digits is split into one word per digit (`4567` → `4 5 6 7`), so that a number counts the
///    same however it is grouped or spelled.
public enum TranscriptScore {
    /// The words of `text` after the normalisation above.
    public static func normalisedWords(_ text: String) -> [String] {
        var spelled = ""
        for character in text.lowercased() {
            switch character {
            case "#": spelled += " pound "
            case "*": spelled += " star "
            case "%": spelled += " percent "
            case "&": spelled += " and "
            case "'", "’": continue
            default: spelled.append(character.isLetter || character.isNumber ? character : " ")
            }
        }
        let tokens = spelled.split(separator: " ").map(String.init)
        var words: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if let ten = tens[token], index + 1 < tokens.count, let unit = units[tokens[index + 1]], unit > 0,
                unit < 10
            {
                words.append(String(ten + unit))
                index += 2
                continue
            }
            if token == "oh", isDigitWord(index - 1, in: tokens) || isDigitWord(index + 1, in: tokens) {
                words.append("0")
            } else if let value = units[token] ?? tens[token] {
                words.append(String(value))
            } else {
                words.append(token)
            }
            index += 1
        }
        return words.flatMap { word in
            word.allSatisfy(\.isNumber) ? word.map { String($0) } : [word]
        }
    }

    /// Errors against a reference: edits and the reference's length, which add up over legs and recordings.
    public struct Errors: Sendable, Hashable, CustomStringConvertible {
        public var edits = 0
        public var total = 0
        public var rate: Double { Double(edits) / Double(max(1, total)) }
        public var description: String { "\(edits)/\(total) = \(String(format: "%.1f", rate * 100))%" }

        public init(edits: Int = 0, total: Int = 0) {
            self.edits = edits
            self.total = total
        }

        public static func + (a: Errors, b: Errors) -> Errors {
            Errors(edits: a.edits + b.edits, total: a.total + b.total)
        }
    }

    /// Word-level edits between the normalised texts, over the number of reference words (word error rate).
    public static func wordErrors(_ hypothesis: String, reference: String) -> Errors {
        let reference = normalisedWords(reference)
        return Errors(edits: editDistance(normalisedWords(hypothesis), reference), total: reference.count)
    }

    /// Edits between the digit strings of the normalised texts (every digit, in order, all else ignored), over
    /// the number of reference digits (digit error rate).
    public static func digitErrors(_ hypothesis: String, reference: String) -> Errors {
        let reference = digits(reference)
        return Errors(edits: editDistance(digits(hypothesis), reference), total: reference.count)
    }

    /// `wordErrors(...).rate`.
    public static func wordErrorRate(_ hypothesis: String, reference: String) -> Double {
        wordErrors(hypothesis, reference: reference).rate
    }

    /// `digitErrors(...).rate`.
    public static func digitErrorRate(_ hypothesis: String, reference: String) -> Double {
        digitErrors(hypothesis, reference: reference).rate
    }

    /// Every digit of `text` after normalisation, in order.
    public static func digits(_ text: String) -> [String] { normalisedWords(text).filter { $0.allSatisfy(\.isNumber) } }

    /// Levenshtein distance (insertions, deletions, substitutions, each costing one).
    public static func editDistance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var distance = Array(0...a.count)
        for (i, item) in b.enumerated() {
            var diagonal = distance[0]
            distance[0] = i + 1
            for (j, other) in a.enumerated() {
                let substitution = diagonal + (other == item ? 0 : 1)
                diagonal = distance[j + 1]
                distance[j + 1] = min(distance[j + 1] + 1, distance[j] + 1, substitution)
            }
        }
        return distance[a.count]
    }

    private static func isDigitWord(_ index: Int, in tokens: [String]) -> Bool {
        guard tokens.indices.contains(index) else { return false }
        let token = tokens[index]
        return units[token].map { $0 < 10 } ?? false || (!token.isEmpty && token.allSatisfy(\.isNumber))
    }

    private static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19,
    ]
    private static let tens: [String: Int] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
}
