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
