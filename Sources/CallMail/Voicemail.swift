import Foundation

/// What the recipient of a voicemail email is told: who called, when, for how long, and what they said.
///
/// Caller values come from caller ID and are untrusted: control characters (CR, LF, ...) are removed before
/// they reach a template or a header.
public struct Voicemail: Sendable, Equatable {
    /// The caller's number as delivered (`+15551234567`).
    public var callerNumber: String
    public var callerName: String?
    /// The mailbox the message was left in ("Sales").
    public var mailbox: String?
    /// When the message was left; shown in `timeZone`, the mailbox's.
    public var received: Date
    public var timeZone: TimeZone
    /// Seconds of audio in the attachment.
    public var duration: Double
    /// The transcript, or nil when there is none (not asked for, or transcription failed).
    public var transcript: String?

    /// What the email says when there is no transcript.
    public static let transcriptUnavailable = "Transcription unavailable"

    public init(
        callerNumber: String, callerName: String? = nil, mailbox: String? = nil, received: Date,
        timeZone: TimeZone, duration: Double, transcript: String? = nil
    ) {
        self.callerNumber = callerNumber
        self.callerName = callerName
        self.mailbox = mailbox
        self.received = received
        self.timeZone = timeZone
        self.duration = duration
        self.transcript = transcript
    }

    /// `+15551234567` as `+1 555-123-4567` (North American numbers); other numbers as given.
    public static func displayNumber(_ number: String) -> String {
        let clean = HeaderText.singleLine(number)
        let digits = clean.filter(\.isNumber)
        guard clean.hasPrefix("+1"), digits.count == 11, clean.dropFirst().allSatisfy(\.isNumber) else { return clean }
        let d = Array(digits)
        return "+1 \(String(d[1...3]))-\(String(d[4...6]))-\(String(d[7...10]))"
    }

    /// `0:42`, `12:05`, `1:02:03`: whole seconds, rounded.
    public static func displayDuration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    /// The values the templates see (see `VoicemailTemplates`).
    var templateValues: [String: Any] {
        let number = Self.displayNumber(callerNumber)
        let name = callerName.map(HeaderText.singleLine) ?? ""
        let mailbox = mailbox.map(HeaderText.singleLine) ?? ""
        let transcript = transcript?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return [
            "caller": name.isEmpty ? number : "\(name) (\(number))",
            "caller_name": name,
            "caller_number": number,
            "mailbox": mailbox,
            "duration": Self.displayDuration(duration),
            "received": receivedText,
            "transcript": transcript.isEmpty ? Self.transcriptUnavailable : transcript,
            "has_caller_name": !name.isEmpty,
            "has_mailbox": !mailbox.isEmpty,
            "has_transcript": !transcript.isEmpty,
        ]
    }

    /// `Sunday, 22 November 2026 at 09:12 (UTC-05:00)`, in the mailbox's time zone.
    var receivedText: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEEE, d MMMM yyyy 'at' HH:mm '(UTC'xxx')'"
        return formatter.string(from: received)
    }

    /// `voicemail-2026-11-22-0912-+15551234567.mp3`: the received time in the mailbox's zone and the number's
    /// digits and plus sign (anything else in the number is dropped, so the name stays ASCII).
    public func attachmentFilename(extension fileExtension: String = "mp3") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd-HHmm"
        let number = String(callerNumber.filter { ($0.isASCII && $0.isNumber) || $0 == "+" }.prefix(32))
        return "voicemail-\(formatter.string(from: received))\(number.isEmpty ? "" : "-\(number)").\(fileExtension)"
    }
}
