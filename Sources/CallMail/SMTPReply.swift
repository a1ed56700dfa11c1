/// One SMTP reply: a three-digit code and its lines of text (`250-SIZE 1000000`, `250 AUTH PLAIN LOGIN`).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx and 3xx go on; 4xx is worth retrying later; 5xx will not pass as it is.
    public var isPositive: Bool { (200..<400).contains(code) }
    public var isTransient: Bool { (400..<500).contains(code) }

    /// The server's own words: `550 5.1.1 <user@example.com>: mailbox unknown`.
    public var description: String { "\(code) \(lines.joined(separator: " "))" }
}

/// Collects the lines of a reply (`250-...` continues, `250 ...` ends) as they arrive.
public struct SMTPReplyParser: Sendable {
    private var code: Int?
    private var lines: [String] = []

    public init() {}

    /// Takes one line without its CRLF; returns the reply when this line completes it.
    public mutating func take(_ line: String) throws(SMTPError) -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, let value = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
            (200...599).contains(value),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
        else { throw SMTPError.protocolViolation("the server sent a line that is not a reply: \(line.prefix(80))") }
        if let code, code != value {
            throw SMTPError.protocolViolation("a reply's lines carry different codes (\(code), \(value))")
        }
        code = value
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard bytes.count == 3 || bytes[3] == UInt8(ascii: " ") else { return nil }
        defer {
            code = nil
            lines = []
        }
        return SMTPReply(code: value, lines: lines)
    }
}
