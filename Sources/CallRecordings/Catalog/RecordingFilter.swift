import Foundation

/// Which recordings a list or a search shows: every condition given must hold. Deleted recordings are never
/// shown.
public struct RecordingFilter: Sendable, Equatable {
    public var contactID: String?
    public var conversationID: String?
    public var direction: CallDetails.Direction?
    public var callStatus: CallDetails.CallStatus?
    public var handledBy: String?
    public var kind: RecordingMetadata.Kind?
    /// `queued`, `processing`, `ready` or `failed`.
    public var status: Recording.Status?
    /// The digits of a number that is the call's `from` or its `to` (`PhoneNumber.digits(of:)`).
    public var numberDigits: String?
    /// Only calls that began in this span (recordings without `started_at` are left out by either bound).
    public var startedAfter: Date?
    public var startedBefore: Date?
    /// Only recordings whose transcript is (or is not) ready.
    public var hasTranscript: Bool?
    /// Only recordings in this scope (a scoped access token's); nil for every recording. Not a query parameter:
    /// the route sets it from the caller's token.
    public var scope: RecordingScope?

    public init() {}

    /// The query parameters `GET /v1/recordings` and `recordings list` take besides `limit` and `cursor`.
    public static let parameterNames: Set = [
        "contact_id", "conversation_id", "direction", "call_status", "handled_by", "kind", "status", "number",
        "started_after", "started_before", "has_transcript",
    ]

    /// Reads the filter from query parameters, refusing an unknown parameter or value by name.
    package init(parameters: [String: String]) throws(FieldProblem) {
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ allowed: [T]) throws(FieldProblem)
            -> T? where T.RawValue == String
        {
            guard let value = parameters[name] else { return nil }
            guard let parsed = T(rawValue: value), allowed.contains(where: { $0.rawValue == value }) else {
                let names = allowed.map(\.rawValue).joined(separator: ", ")
                throw FieldProblem(message: "\(name): \(value) is not one of \(names)")
            }
            return parsed
        }
        func time(_ name: String) throws(FieldProblem) -> Date? {
            guard let value = parameters[name] else { return nil }
            guard let date = Timestamp.parse(value) else {
                throw FieldProblem(message: "\(name): \(value) is not an RFC 3339 time (as 2026-12-06T14:12:00Z)")
            }
            return date
        }
        if let unknown = parameters.keys.filter({ !Self.parameterNames.contains($0) }).sorted().first {
            throw FieldProblem(
                message:
                    "\(unknown): no such filter (filters are \(Self.parameterNames.sorted().joined(separator: ", ")))")
        }
        func id(_ name: String) throws(FieldProblem) -> String? {
            guard let value = parameters[name] else { return nil }
            return try FieldProblem.plainText(value, field: name)
        }
        contactID = try id("contact_id")
        conversationID = try id("conversation_id")
        handledBy = try id("handled_by")
        direction = try choice("direction", CallDetails.Direction.allCases)
        callStatus = try choice("call_status", CallDetails.CallStatus.allCases)
        kind = try choice("kind", [RecordingMetadata.Kind.call, .voicemail])
        status = try choice("status", Recording.Status.allCases.filter { $0 != .deleted })
        if let number = parameters["number"] {
            guard let digits = PhoneNumber.digits(of: number) else {
                throw FieldProblem(message: "number: \(number) is not a phone number")
            }
            numberDigits = digits
        }
        startedAfter = try time("started_after")
        startedBefore = try time("started_before")
        if let value = parameters["has_transcript"] {
            guard let flag = Bool(value) else {
                throw FieldProblem(message: "has_transcript: \(value) is not true or false")
            }
            hasTranscript = flag
        }
    }
}

/// Where a page of recordings ends: the sort time and id of its last recording. The next page starts after it,
/// so recordings added while someone pages are neither repeated nor skipped. Opaque to clients.
public struct RecordingCursor: Sendable, Equatable {
    public var sortTime: Double
    public var id: String

    public init(sortTime: Double, id: String) {
        self.sortTime = sortTime
        self.id = id
    }

    init(after recording: Recording) {
        self.init(sortTime: recording.sortTime.timeIntervalSince1970, id: recording.id)
    }

    /// The cursor as clients pass it back: URL-safe base64 of `SECONDS/ID`.
    public var token: String { Data("\(sortTime.bitPattern)/\(id)".utf8).base64URLEncoded() }

    /// Reads a token `token` made; nil for anything else.
    public init?(token: String) {
        guard let text = Data(base64URL: token).flatMap({ String(data: $0, encoding: .utf8) }),
            let slash = text.firstIndex(of: "/"),
            let bits = UInt64(text[..<slash])
        else { return nil }
        let id = String(text[text.index(after: slash)...])
        guard !id.isEmpty else { return nil }
        self.init(sortTime: Double(bitPattern: bits), id: id)
    }
}

/// One page of a list: the recordings, newest call first, and the cursor of the next page (nil on the last).
public struct RecordingPage: Sendable, Equatable {
    public var recordings: [Recording]
    public var nextCursor: RecordingCursor?

    public init(recordings: [Recording], nextCursor: RecordingCursor?) {
        self.recordings = recordings
        self.nextCursor = nextCursor
    }

    /// The page of `limit` from `found`, up to `limit + 1` recordings a query returned: one more than the page
    /// holds says there is a next page.
    init(_ found: [Recording], limit: Int) {
        let page = Array(found.prefix(limit))
        self.init(recordings: page, nextCursor: found.count > limit ? page.last.map(RecordingCursor.init(after:)) : nil)
    }
}
