import Foundation

/// What the platform knows of a call and gives at ingest, all optional: shown with the recording, carried by its
/// webhook events, and what the catalog filters on.
public struct CallDetails: Codable, Sendable, Equatable {
    public enum Direction: String, Codable, Sendable, CaseIterable {
        case inbound, outbound
    }

    public enum CallStatus: String, Codable, Sendable, CaseIterable {
        case answered
        case noAnswer = "no-answer"
        case busy, failed, voicemail
    }

    public var direction: Direction?
    /// The caller's and the callee's numbers, as the platform gave them.
    public var from: String?
    public var to: String?
    /// When the call began.
    public var startedAt: Date?
    public var callStatus: CallStatus?
    /// The user who handled the call, by id and by name.
    public var handledBy: String?
    public var handledByName: String?
    /// The contact and the conversation the call belongs to (the platform's ids).
    public var contactID: String?
    public var conversationID: String?

    public init(
        direction: Direction? = nil, from: String? = nil, to: String? = nil, startedAt: Date? = nil,
        callStatus: CallStatus? = nil, handledBy: String? = nil, handledByName: String? = nil,
        contactID: String? = nil, conversationID: String? = nil
    ) {
        self.direction = direction
        self.from = from
        self.to = to
        self.startedAt = startedAt
        self.callStatus = callStatus
        self.handledBy = handledBy
        self.handledByName = handledByName
        self.contactID = contactID
        self.conversationID = conversationID
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case direction, from, to
        case startedAt = "started_at"
        case callStatus = "call_status"
        case handledBy = "handled_by"
        case handledByName = "handled_by_name"
        case contactID = "contact_id"
        case conversationID = "conversation_id"
    }

    /// The ingest fields that carry the details, as the JSON names them.
    public static let fieldNames = Set(CodingKeys.allCases.map(\.rawValue))

    /// Reads the details among an ingest request's text fields; an empty field counts as absent.
    /// - Throws: `FieldProblem` naming the first field that is present and unusable.
    init(_ fields: [String: String]) throws(FieldProblem) {
        func text(_ key: CodingKeys, limit: Int = 256) throws(FieldProblem) -> String? {
            guard let value = fields[key.rawValue], !value.isEmpty else { return nil }
            return try FieldProblem.plainText(value, field: key.rawValue, limit: limit)
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: CodingKeys, _ type: T.Type)
            throws(FieldProblem) -> T? where T.RawValue == String
        {
            guard let value = try text(key) else { return nil }
            guard let parsed = T(rawValue: value) else {
                let allowed = T.allCases.map(\.rawValue).joined(separator: " or ")
                throw FieldProblem(message: "\(key.rawValue): \(value) is not \(allowed)")
            }
            return parsed
        }
        func number(_ key: CodingKeys) throws(FieldProblem) -> String? {
            guard let value = try text(key, limit: 64) else { return nil }
            guard PhoneNumber.digits(of: value) != nil else {
                throw FieldProblem(message: "\(key.rawValue): \(value) is not a phone number")
            }
            return value
        }
        direction = try choice(.direction, Direction.self)
        from = try number(.from)
        to = try number(.to)
        if let value = try text(.startedAt) {
            guard let date = Timestamp.parse(value) else {
                throw FieldProblem(
                    message: "started_at: \(value) is not an RFC 3339 time (as 2026-12-06T14:12:00Z)")
            }
            startedAt = date
        }
        callStatus = try choice(.callStatus, CallStatus.self)
        handledBy = try text(.handledBy)
        handledByName = try text(.handledByName)
        contactID = try text(.contactID)
        conversationID = try text(.conversationID)
    }
}

/// The details' JSON: only the fields given, `started_at` as an RFC 3339 time whatever the encoder's date
/// strategy.
extension CallDetails {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        direction = try container.decodeIfPresent(Direction.self, forKey: .direction)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        to = try container.decodeIfPresent(String.self, forKey: .to)
        if let text = try container.decodeIfPresent(String.self, forKey: .startedAt) {
            guard let time = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .startedAt, in: container, debugDescription: "\(text) is not an RFC 3339 time")
            }
            startedAt = time
        }
        callStatus = try container.decodeIfPresent(CallStatus.self, forKey: .callStatus)
        handledBy = try container.decodeIfPresent(String.self, forKey: .handledBy)
        handledByName = try container.decodeIfPresent(String.self, forKey: .handledByName)
        contactID = try container.decodeIfPresent(String.self, forKey: .contactID)
        conversationID = try container.decodeIfPresent(String.self, forKey: .conversationID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(direction, forKey: .direction)
        try container.encodeIfPresent(from, forKey: .from)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encodeIfPresent(startedAt.map(Timestamp.format), forKey: .startedAt)
        try container.encodeIfPresent(callStatus, forKey: .callStatus)
        try container.encodeIfPresent(handledBy, forKey: .handledBy)
        try container.encodeIfPresent(handledByName, forKey: .handledByName)
        try container.encodeIfPresent(contactID, forKey: .contactID)
        try container.encodeIfPresent(conversationID, forKey: .conversationID)
    }
}

/// Phone numbers as people write them: `+1 (555) 123-4567`, `555.123.4567`, `4711`.
public enum PhoneNumber {
    /// The digits of `text`, which compare across the ways one number is written; nil when `text` is not a phone
    /// number (anything but digits, spaces, `+ - . ( ) * #`, or no digit at all).
    public static func digits(of text: String) -> String? {
        let allowed = Set("0123456789+-.()*# ")
        guard text.allSatisfy({ allowed.contains($0) }) else { return nil }
        let digits = text.filter(\.isASCIIDigit)
        return digits.isEmpty ? nil : digits
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

/// RFC 3339 times, with or without fractional seconds.
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// A time as the service writes it: UTC, milliseconds (`2026-12-06T14:12:00.000Z`).
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
