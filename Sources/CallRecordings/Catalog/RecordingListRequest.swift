/// A request for a page of recordings, as `GET /v1/recordings` and `recordings list` take it: the filters
/// (`RecordingFilter`), `limit` (1 to 500, 50 by default) and `cursor` (a `next_cursor` handed out before).
public struct RecordingListRequest: Sendable, Equatable {
    public var filter: RecordingFilter
    public var limit: Int
    public var cursor: RecordingCursor?

    public static let defaultLimit = 50
    public static let maximumLimit = 500

    /// Reads the request from query parameters, refusing an unknown parameter or value by name.
    package init(parameters: [String: String]) throws(FieldProblem) {
        var filters = parameters
        limit = Self.defaultLimit
        if let text = filters.removeValue(forKey: "limit") {
            guard let value = Int(text), (1...Self.maximumLimit).contains(value) else {
                throw FieldProblem(message: "limit: \(text) is not a whole number from 1 to \(Self.maximumLimit)")
            }
            limit = value
        }
        if let token = filters.removeValue(forKey: "cursor") {
            guard let cursor = RecordingCursor(token: token) else {
                throw FieldProblem(message: "cursor: \(token) is not a next_cursor this service handed out")
            }
            self.cursor = cursor
        }
        filter = try RecordingFilter(parameters: filters)
    }
}

/// `GET /v1/recordings`: a page of recordings, each as `GET /v1/recordings/{id}` shows it, and the cursor of the
/// next page (null on the last).
public struct RecordingList: Codable, Sendable, Equatable {
    public var recordings: [RecordingResource]
    public var nextCursor: String?

    public init(recordings: [RecordingResource], nextCursor: String?) {
        self.recordings = recordings
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case recordings
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(recordings, forKey: .recordings)
        try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page, not left out
    }
}

/// A search, as `GET /v1/recordings/search` and `recordings search` take it: `q`, the list's filters, `limit` and
/// `cursor` (a search's `next_cursor`).
public struct RecordingSearchRequest: Sendable, Equatable {
    public var query: TranscriptQuery
    public var filter: RecordingFilter
    public var limit: Int
    public var cursor: SearchCursor?

    package init(parameters: [String: String]) throws(FieldProblem) {
        var rest = parameters
        guard let q = rest.removeValue(forKey: "q") else {
            throw FieldProblem(message: "q: give the words to search the transcripts for")
        }
        query = try TranscriptQuery(q)
        var cursor: SearchCursor?
        if let token = rest.removeValue(forKey: "cursor") {
            guard let parsed = SearchCursor(token: token) else {
                throw FieldProblem(message: "cursor: \(token) is not a next_cursor this service handed out")
            }
            cursor = parsed
        }
        let list = try RecordingListRequest(parameters: rest)
        self.cursor = cursor
        filter = list.filter
        limit = list.limit
    }
}

/// `GET /v1/recordings/search`: the segments that matched, each with a player link that opens at it, and the
/// cursor of the next page (null on the last).
public struct SearchResults: Codable, Sendable, Equatable {
    public struct Hit: Codable, Sendable, Equatable {
        public var recordingID: String
        /// The segment's times in seconds on the call's timeline.
        public var start: Double
        public var end: Double
        public var speaker: String?
        public var text: String
        /// A signed player link that opens at `start` (`#t=START`).
        public var playerURL: String

        enum CodingKeys: String, CodingKey {
            case start, end, speaker, text
            case recordingID = "recording_id"
            case playerURL = "player_url"
        }
    }

    public var hits: [Hit]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case hits
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(hits, forKey: .hits)
        try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page, not left out
    }
}
