/// A word-by-word majority vote between three or more readings of one leg (ROVER, Fiscus 1997): the reading
/// closest to the others is the pivot, and each of its words gives way to the word most readings heard in its place,
/// or goes when most heard nothing there.
///
/// Readings are compared a pivot segment at a time: the other readings' words are shared out between the pivot's
/// segments by time (each to the segment whose stretch of the leg holds its middle), so an alignment never spans
/// more than one segment and the work grows with the leg's length, not its square. Words are compared as `key(_:)`
/// gives them: case and punctuation aside. Measured on 30 noisy caller legs (benchmarks/RESULTS.md, section 22),
/// voting between the raw, webrtc-cleaned and DeepFilterNet-cleaned readings left no leg worse than the raw one.
struct ReadingVote {
    typealias Reading = LegReadings.Reading

    /// The pivot's index in the readings voted on.
    let pivotIndex: Int
    /// The pivot's segments with the vote's words.
    let segments: [TranscriptSegment]

    /// The vote between `readings` (at least one).
    init(_ readings: [Reading]) {
        // Each reading lined up with each other one, segment by segment of the first.
        let alignments = readings.indices.map { reading in
            readings.indices.map { other in
                other == reading ? nil : Self.alignment(of: readings[reading], with: readings[other])
            }
        }
        let distances = alignments.map { $0.reduce(0) { $0 + ($1?.distance ?? 0) } }
        let pivotIndex = readings.indices.min { first, second in
            distances[first] != distances[second]
                ? distances[first] < distances[second] : LegReadings.isSurer(readings, first, than: second)
        }!
        let others = alignments[pivotIndex].compactMap { $0?.counterparts }
        segments = readings[pivotIndex].segments.enumerated().compactMap { index, segment in
            Self.voted(segment, counterparts: others.map { $0[index] }, readings: readings.count)
        }
        self.pivotIndex = pivotIndex
    }

    /// A word as the vote compares it: lower case, letters, digits and apostrophes only ("Key." and "key").
    static func key(_ word: String) -> String {
        String(word.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "'" })
    }

    /// `segment` with each word replaced by the one a majority of the `readings` heard in its place (its
    /// `counterparts` in the other readings, nil where one heard nothing), and its text rebuilt from its words when
    /// any changed; nil when the majority heard none of its words.
    private static func voted(
        _ segment: TranscriptSegment, counterparts: [[TranscriptWord?]], readings: Int
    ) -> TranscriptSegment? {
        var words: [TranscriptWord] = []
        for (index, word) in segment.words.enumerated() {
            let heard = counterparts.map { $0[index] }
            var votes: [String?: Int] = [key(word.word): 1]
            for counterpart in heard { votes[counterpart.map { key($0.word) }, default: 0] += 1 }
            guard let (winner, count) = votes.max(by: { $0.value < $1.value }), count * 2 > readings,
                winner != key(word.word)
            else {
                words.append(word)
                continue
            }
            if let winner, let replacement = heard.lazy.compactMap({ $0 }).first(where: { key($0.word) == winner }) {
                words.append(replacement)
            }
        }
        guard words != segment.words else { return segment }
        guard !words.isEmpty else { return nil }
        var voted = segment
        voted.words = words
        voted.text = words.map(\.word).joined(separator: " ")
        return voted
    }

    /// How `reading` and `other` line up, segment by segment of `reading`: for each of its segments, the word of
    /// `other` aligned with each of its words (nil where `other` has none there), and the word edits between them
    /// in all (words of `other` aligned with no word of `reading` count as edits, all of them when `reading` heard
    /// nothing).
    private static func alignment(of reading: Reading, with other: Reading) -> (
        counterparts: [[TranscriptWord?]], distance: Int
    ) {
        let words = other.segments.flatMap(\.words)
        guard !reading.segments.isEmpty else { return ([], words.count) }
        let shares = share(words, among: reading.segments)
        var distance = 0
        let counterparts = zip(reading.segments, shares).map { segment, share in
            let aligned = WordAlignment(segment.words.map { key($0.word) }, share.map { key($0.word) })
            distance += aligned.distance
            return aligned.pairs.map { $0.map { share[$0] } }
        }
        return (counterparts, distance)
    }

    /// `words` shared out among `segments` (at least one) by time: each goes to the segment whose stretch holds its
    /// middle, a stretch reaching halfway to the segments either side (the first and last to either end of the leg).
    private static func share(_ words: [TranscriptWord], among segments: [TranscriptSegment]) -> [[TranscriptWord]] {
        let boundaries = zip(segments, segments.dropFirst()).map { ($0.end + $1.start) / 2 }
        var shares = [[TranscriptWord]](repeating: [], count: segments.count)
        for word in words {
            let middle = (word.start + word.end) / 2
            shares[boundaries.firstIndex { middle < $0 } ?? boundaries.count].append(word)
        }
        return shares
    }
}

/// The least word edits (Levenshtein) turning one list of words into another, and which word of the second each
/// word of the first is aligned with: the same word or its substitute, or nil where it was deleted.
struct WordAlignment {
    let distance: Int
    /// For each word of the first list, the index of its counterpart in the second, or nil.
    let pairs: [Int?]

    init(_ first: [String], _ second: [String]) {
        let columns = second.count + 1
        var cost = [Int](repeating: 0, count: (first.count + 1) * columns)
        for row in 0...first.count {
            for column in 0...second.count {
                cost[row * columns + column] =
                    row == 0 || column == 0
                    ? row + column
                    : min(
                        cost[(row - 1) * columns + column] + 1, cost[row * columns + column - 1] + 1,
                        cost[(row - 1) * columns + column - 1] + (first[row - 1] == second[column - 1] ? 0 : 1))
            }
        }
        var pairs = [Int?](repeating: nil, count: first.count)
        var (row, column) = (first.count, second.count)
        while row > 0 {
            let here = cost[row * columns + column]
            if column > 0,
                here == cost[(row - 1) * columns + column - 1] + (first[row - 1] == second[column - 1] ? 0 : 1)
            {
                pairs[row - 1] = column - 1
                (row, column) = (row - 1, column - 1)
            } else if here == cost[(row - 1) * columns + column] + 1 {
                row -= 1
            } else {
                column -= 1
            }
        }
        distance = cost[first.count * columns + second.count]
        self.pairs = pairs
    }
}
