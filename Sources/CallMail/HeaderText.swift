/// Turns untrusted text (a caller's name from caller ID, a rendered subject) into header field values that
/// cannot add a header or a MIME part, and encodes non-ASCII text as RFC 2047 encoded-words.
enum HeaderText {
    /// The longest encoded-word RFC 2047 allows.
    static let maximumEncodedWordLength = 75
    /// `=?UTF-8?B?` + `?=`.
    private static let encodedWordOverhead = 12

    /// `text` with every control character (CR, LF, TAB, NUL, DEL, C1, Unicode line and paragraph separators)
    /// replaced by a space, runs of spaces collapsed and the ends trimmed: one line, safe in a header or a body.
    static func singleLine(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if isBreaking(scalar) || scalar == " " {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.unicodeScalars.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    private static func isBreaking(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// A header line `Name: value`, folded with CRLF + space so that no line exceeds 78 octets when the value
    /// has spaces to fold at, and never 998. Non-ASCII values (and ASCII words too long to fold) become
    /// encoded-words. No trailing CRLF.
    static func field(_ name: String, _ value: String) -> String {
        let value = singleLine(value)
        let words = value.split(separator: " ").map(String.init)
        let asPlainText = value.allSatisfy(\.isASCII) && words.allSatisfy { $0.utf8.count <= 900 }
        return fold(prefix: "\(name):", words: asPlainText ? words : encodedWords(value))
    }

    /// Joins `words` after `prefix` with spaces, starting a new (space-indented) line before a word that would
    /// take the line past 78 octets.
    static func fold(prefix: String, words: [String]) -> String {
        var text = prefix
        var lineLength = prefix.utf8.count
        for (index, word) in words.enumerated() {
            // The first word stays on the name's line: a value may not start with a line break.
            if index > 0 && lineLength + 1 + word.utf8.count > 78 {
                text += "\r\n"
                lineLength = 0
            }
            text += " " + word
            lineLength += 1 + word.utf8.count
        }
        return text
    }

    /// `text` as UTF-8 base64 encoded-words of at most 75 characters each, split only between characters
    /// (so no word holds part of a character's bytes, as RFC 2047 section 5 requires).
    static func encodedWords(_ text: String) -> [String] {
        let capacity = (maximumEncodedWordLength - encodedWordOverhead) / 4 * 3
        var words: [String] = []
        var bytes: [UInt8] = []
        for character in text {
            let encoded = Array(String(character).utf8)
            if bytes.count + encoded.count > capacity, !bytes.isEmpty {
                words.append(encodedWord(bytes))
                bytes = []
            }
            bytes += encoded
        }
        if !bytes.isEmpty { words.append(encodedWord(bytes)) }
        return words
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Base64.encode(bytes))?="
    }

    /// A display name and address for From/To: `"Sales" <vm@example.com>`, or encoded-words before the
    /// address when the name is not ASCII.
    static func mailbox(name: String?, address: MailAddress) -> String {
        guard let name = name.map(singleLine), !name.isEmpty else { return "<\(address)>" }
        if name.allSatisfy(\.isASCII) {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address)>"
        }
        return encodedWords(name).joined(separator: " ") + " <\(address)>"
    }
}
