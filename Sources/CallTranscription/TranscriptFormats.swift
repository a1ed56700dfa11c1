import Foundation

/// The transcript's text renderings: WebVTT for the player, SRT for other players, plain text for email and
/// search.
extension Transcript {
    /// WebVTT with one cue per segment and the speaker in a voice span: `<v Agent>I can refund that`.
    public var webVTT: String {
        var lines = ["WEBVTT", ""]
        for segment in segments where !segment.text.isEmpty {
            lines.append("\(TimeText.cue(segment.start, ".")) --> \(TimeText.cue(segment.end, "."))")
            lines.append("<v \(Self.cueSafe(segment.speaker))>\(Self.cueSafe(segment.text))")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// SubRip: numbered cues, the speaker as a `Agent: ` prefix (SRT has no voice spans).
    public var srt: String {
        var lines: [String] = []
        for (index, segment) in segments.filter({ !$0.text.isEmpty }).enumerated() {
            lines.append("\(index + 1)")
            lines.append("\(TimeText.cue(segment.start, ",")) --> \(TimeText.cue(segment.end, ","))")
            lines.append("\(segment.speaker): \(Self.oneLine(segment.text))")
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per segment: `[00:01:12] Agent: I can refund that today`.
    public var plainText: String {
        segments.filter { !$0.text.isEmpty }
            .map { "[\(TimeText.clock($0.start))] \($0.speaker): \(Self.oneLine($0.text))\n" }
            .joined()
    }

    /// Text that cannot end a cue or open a tag: no blank lines, no `-->`, and `<`, `>`, `&` escaped.
    private static func cueSafe(_ text: String) -> String {
        oneLine(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// Seconds as the clock texts of the transcript formats.
enum TimeText {
    /// `01:02:03.450` (WebVTT, with ".") or `01:02:03,450` (SRT, with ",").
    static func cue(_ seconds: Double, _ separator: String) -> String {
        let millis = Int((max(0, seconds) * 1000).rounded())
        let (h, m, s, ms) = (millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
        return String(format: "%02d:%02d:%02d%@%03d", h, m, s, separator, ms)
    }

    /// `00:01:12`: whole seconds, rounded down, as a reader finds the moment in the player.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds))
        return String(format: "%02d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
    }
}
