import Foundation

/// When a voicemail was left and the mailbox's time zone, from the text a caller of the CLI or the API gives:
/// an ISO 8601 time whose UTC offset is the mailbox's (`2026-11-22T09:12:00-05:00`), and optionally a named
/// zone that replaces the offset for the times shown.
public struct ReceivedTime: Sendable, Equatable {
    public var date: Date
    public var timeZone: TimeZone

    /// What is wrong with one of the two texts; `isTimeZone` tells which.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var isTimeZone: Bool
        public var description: String
    }

    /// - Parameters:
    ///   - received: the time; nil is `now`, in UTC.
    ///   - timeZone: an IANA name (`America/New_York`); nil keeps the offset of `received`.
    public init(received: String?, timeZone: String?, now: Date = Date()) throws(Problem) {
        var zone = TimeZone(identifier: "UTC")!
        date = now
        if let received {
            guard let parsed = ISO8601DateFormatter().date(from: received), let offset = Self.utcOffset(of: received)
            else {
                throw Problem(
                    isTimeZone: false,
                    description: "\(received) is not an ISO 8601 time such as 2026-11-22T09:12:00-05:00")
            }
            date = parsed
            zone = TimeZone(secondsFromGMT: offset) ?? zone
        }
        if let timeZone {
            guard let named = TimeZone(identifier: timeZone) else {
                throw Problem(
                    isTimeZone: true, description: "\(timeZone) is not a known time zone such as America/New_York")
            }
            zone = named
        }
        self.timeZone = zone
    }

    /// Seconds east of UTC of an ISO 8601 time's suffix: `Z`, `+01:00`, `-0500`.
    static func utcOffset(of text: String) -> Int? {
        if text.hasSuffix("Z") { return 0 }
        guard let sign = text.lastIndex(where: { $0 == "+" || $0 == "-" }) else { return nil }
        let digits = text[text.index(after: sign)...].filter(\.isNumber)
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else {
            return nil
        }
        return (text[sign] == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }
}
