/// Quoted-printable (RFC 2045 section 6.7) for UTF-8 text bodies: line breaks become CRLF, lines stay within
/// 76 characters (soft breaks `=` never split an `=XX` escape), and trailing spaces are escaped.
enum QuotedPrintable {
    static let maximumLineLength = 76

    /// Encodes `text`; the result ends with CRLF.
    static func encode(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { encodeLine(Array($0.utf8)) }.joined(separator: "\r\n") + "\r\n"
    }

    private static func encodeLine(_ bytes: [UInt8]) -> String {
        var output = ""
        var lineLength = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let token = token(for: byte, atLineEnd: isLast)
            // Leave room for the soft break's "=" unless this token ends the line.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if lineLength + token.count > room {
                output += "=\r\n"
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return output
    }

    private static func token(for byte: UInt8, atLineEnd: Bool) -> String {
        let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=")
        let space = (byte == 0x20 || byte == 0x09) && !atLineEnd
        if literal || space { return String(UnicodeScalar(byte)) }
        let hex = Array("0123456789ABCDEF")
        return "=\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
    }
}
