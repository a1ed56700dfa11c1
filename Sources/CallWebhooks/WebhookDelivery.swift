import Foundation

/// One event to POST to one URL: the recipe of a `webhook` job. Its `messageID` stays the same on every
/// attempt, so the receiver can drop duplicates; the timestamp and signature are made at each attempt.
public struct WebhookDelivery: Sendable, Equatable, Codable {
    /// The receiver, `http` or `https`.
    public var url: String
    /// `webhook-id`: unique per event (`msg_` and 24 hex digits).
    public var messageID: String
    /// The event type (`recording.ready`, ...), also inside `body`: kept apart for listings and logs.
    public var type: String
    /// The JSON body, exactly as signed and sent.
    public var body: String

    enum CodingKeys: String, CodingKey {
        case url
        case messageID = "message_id"
        case type, body
    }

    public init(url: String, messageID: String = WebhookDelivery.newMessageID(), type: String, body: String) {
        self.url = url
        self.messageID = messageID
        self.type = type
        self.body = body
    }

    /// A fresh `msg_` id.
    public static func newMessageID() -> String {
        "msg_" + (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}
