/// Text from outside (file names above all) made safe to print on one line: control characters (a newline in a
/// file name, an escape sequence) are shown as Swift escapes (`\n`, `\u{1B}`), so a one-line error stays one
/// line and cannot rewrite the terminal.
public enum PrintableText {
    public static func escaping(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where isControl(scalar): escaped += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// A name that is not valid UTF-8 (a file name in Latin-1, say), shown with each byte outside ASCII as
    /// `\xE9`: `caf\xE9.wav`. Swift's strings cannot hold such a name, so the bytes are all there is to show.
    public static func showing(bytes: some Sequence<UInt8>) -> String {
        bytes.map { $0 < 0x80 ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true) }.joined()
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}"
    }
}
