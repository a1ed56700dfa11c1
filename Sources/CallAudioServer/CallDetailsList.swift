import CallRecordings
import Foundation

/// The call's details as the player shows them: a `<dl>` of those the platform gave, in a fixed order, worded for
/// a person (`started_at` as a date and time in UTC, `no-answer` as "No answer") and escaped.
struct CallDetailsList {
    var details: CallDetails

    /// Empty when the platform gave no details.
    var html: String {
        let rows: [(label: String, value: String?)] = [
            ("Direction", details.direction.map { Self.words($0.rawValue) }),
            ("From", details.from),
            ("To", details.to),
            ("Began", details.startedAt.map(Self.readable)),
            ("Call status", details.callStatus.map { Self.words($0.rawValue) }),
            // The name when the platform gave one; the user's id is what a person can look up otherwise.
            ("Handled by", details.handledByName ?? details.handledBy),
            ("Contact", details.contactID),
            ("Conversation", details.conversationID),
        ]
        let shown = rows.compactMap { row in
            row.value.map { "<dt>\(row.label)</dt><dd>\(HTMLText.escape($0))</dd>" }
        }
        guard !shown.isEmpty else { return "" }
        return "<dl id=\"details\">\n" + shown.joined(separator: "\n") + "\n</dl>"
    }

    /// `2026-12-06T14:12:00Z` as `6 December 2026, 14:12:00 UTC`: the page is the same for every viewer, so it
    /// names its time zone rather than guess theirs.
    static func readable(_ time: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "d MMMM yyyy, HH:mm:ss 'UTC'"
        return formatter.string(from: time)
    }

    /// `no-answer` as `No answer`.
    private static func words(_ raw: String) -> String {
        let spaced = raw.replacingOccurrences(of: "-", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }
}
