import Foundation

/// What `GET /v1/recordings/search?q=` looks for: every word and every quoted phrase of `q` in one transcript
/// segment, case-insensitively (`refund "order number"` is the word refund and the phrase order number).
public struct TranscriptQuery: Sendable, Equatable {
    /// The phrases to find, each its words in order; a lone word is a phrase of one.
    public var phrases: [[String]]

    /// Reads `q`; words are runs of letters and digits, anything else separates them.
    public init(_ q: String) throws(FieldProblem) {
        guard q.count <= 256 else { throw FieldProblem(message: "q is longer than 256 characters") }
        var phrases: [[String]] = []
        for (index, part) in q.split(separator: "\"", omittingEmptySubsequences: false).enumerated() {
            let words = Self.words(in: part)
            if index % 2 == 1 {
                if !words.isEmpty { phrases.append(words) }  // inside quotes: one phrase
            } else {
                phrases += words.map { [$0] }
            }
        }
        guard !phrases.isEmpty else { throw FieldProblem(message: "q: give at least one word to search for") }
        self.phrases = phrases
    }

    private static func words(in text: Substring) -> [String] {
        fold(String(text)).split(separator: " ").map(String.init)
    }

    /// Text as search compares it: lower case, without diacritics, its words (runs of letters and digits)
    /// separated by single spaces. Segments are stored folded too, so every store matches alike.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split { !($0.isLetter || $0.isNumber) }.joined(separator: " ")
    }

    /// The query in SQLite FTS5's syntax: each phrase a quoted string, all of them required.
    var fts5Expression: String {
        phrases.map { "\"\($0.joined(separator: " "))\"" }.joined(separator: " ")
    }
}

extension TranscriptHit {
    /// A hit from a search row: segment id, recording id, start, end, speaker, text, the recording's sort time.
    init(row: [CatalogValue]) {
        let segmentID = row[0].integer ?? 0
        let recordingID = row[1].text ?? ""
        let start = row[2].real ?? 0
        self.init(
            recordingID: recordingID,
            segment: IndexedSegment(
                start: start, end: row[3].real ?? start, speaker: row[4].text, text: row[5].text ?? ""),
            position: SearchCursor(
                sortTime: row[6].real ?? 0, recordingID: recordingID, start: start, segmentID: segmentID))
    }
}

/// A segment of a transcript, as the index keeps it.
public struct IndexedSegment: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var speaker: String?
    public var text: String

    public init(start: Double, end: Double, speaker: String?, text: String) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.text = text
    }
}

/// One segment that matched a search, with the recording it belongs to.
public struct TranscriptHit: Sendable, Equatable {
    public var recordingID: String
    public var segment: IndexedSegment
    /// Where the hit sits in the order of results (`SearchCursor`).
    var position: SearchCursor
}

/// Where a page of search hits ends: the recording's sort time and id, the segment's start and its row id. Opaque
/// to clients, as `RecordingCursor`.
public struct SearchCursor: Sendable, Equatable {
    var sortTime: Double
    var recordingID: String
    var start: Double
    var segmentID: Int64

    /// URL-safe base64 of the four values.
    public var token: String {
        Data("\(sortTime.bitPattern)/\(start.bitPattern)/\(segmentID)/\(recordingID)".utf8).base64URLEncoded()
    }

    /// Reads a token `token` made; nil for anything else.
    public init?(token: String) {
        guard let text = Data(base64URL: token).flatMap({ String(data: $0, encoding: .utf8) }) else { return nil }
        let parts = text.split(separator: "/", maxSplits: 3).map(String.init)
        guard parts.count == 4, let time = UInt64(parts[0]), let start = UInt64(parts[1]),
            let segment = Int64(parts[2]), !parts[3].isEmpty
        else { return nil }
        self.init(
            sortTime: Double(bitPattern: time), recordingID: parts[3], start: Double(bitPattern: start),
            segmentID: segment)
    }

    init(sortTime: Double, recordingID: String, start: Double, segmentID: Int64) {
        self.sortTime = sortTime
        self.recordingID = recordingID
        self.start = start
        self.segmentID = segmentID
    }
}

/// One page of search hits and the cursor of the next (nil on the last).
public struct SearchPage: Sendable, Equatable {
    public var hits: [TranscriptHit]
    public var nextCursor: SearchCursor?

    /// The page of `limit` from `found`, up to `limit + 1` hits a query returned.
    init(_ found: [TranscriptHit], limit: Int) {
        hits = Array(found.prefix(limit))
        nextCursor = found.count > limit ? hits.last?.position : nil
    }
}
