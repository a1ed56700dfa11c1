import Foundation

/// An element of one of S3's XML replies (`ListBucketResult`, `Error`, `CompleteMultipartUploadResult`, ...), read
/// by a small parser of our own: S3 replies are plain elements and text, and Foundation's `XMLParser` would bring
/// libxml2 into every program that talks to a bucket.
///
/// Names lose their namespace prefix; attributes, comments, declarations and processing instructions are
/// skipped; text keeps CDATA sections and decodes the five named entities and numeric ones (`&#34;`, `&#x22;`), as
/// SeaweedFS writes the quotes of an ETag.
struct S3XML: Equatable, Sendable {
    var name: String
    var text: String
    var children: [S3XML]

    /// The first child named `name`.
    func child(_ name: String) -> S3XML? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    func children(_ name: String) -> [S3XML] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    subscript(_ name: String) -> String? { child(name)?.text }

    /// The root element of `data`.
    static func parse(_ data: some Collection<UInt8>) throws -> S3XML {
        var parser = Parser(bytes: Array(data))
        return try parser.document()
    }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, for a request body.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    struct ParseError: Error, CustomStringConvertible {
        var reason: String
        var description: String { "malformed XML from the server: \(reason)" }
    }
}

extension S3XML {
    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() throws -> S3XML {
            while true {
                skipWhitespace()
                guard index < bytes.count else { throw ParseError(reason: "no root element") }
                guard bytes[index] == UInt8(ascii: "<") else { throw ParseError(reason: "text before the root") }
                if try skipMarkup() { continue }
                return try element()
            }
        }

        /// Skips `<?...?>`, `<!--...-->` or `<!...>` at `index`; false when an element starts there.
        mutating func skipMarkup() throws -> Bool {
            if starts(with: "<?") {
                try skip(past: "?>")
            } else if starts(with: "<!--") {
                try skip(past: "-->")
            } else if starts(with: "<!"), !starts(with: "<![CDATA[") {
                try skip(past: ">")
            } else {
                return false
            }
            return true
        }

        /// The element whose `<` is at `index`.
        mutating func element() throws -> S3XML {
            index += 1
            let name = localName(readName())
            guard !name.isEmpty else { throw ParseError(reason: "an element without a name") }
            // Attributes: skipped, minding quoted values that may hold `>`.
            var selfClosing = false
            while true {
                guard index < bytes.count else { throw ParseError(reason: "<\(name) not closed") }
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    index += 1
                    while index < bytes.count, bytes[index] != byte { index += 1 }
                    index += 1
                } else if byte == UInt8(ascii: "/") {
                    selfClosing = true
                    index += 1
                } else if byte == UInt8(ascii: ">") {
                    index += 1
                    break
                } else {
                    selfClosing = false
                    index += 1
                }
            }
            var result = S3XML(name: name, text: "", children: [])
            if selfClosing { return result }
            var text: [UInt8] = []
            while true {
                guard index < bytes.count else { throw ParseError(reason: "<\(name)> not closed") }
                if bytes[index] != UInt8(ascii: "<") {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    text += try decodeEntities(bytes[start..<index])
                } else if starts(with: "<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    text += bytes[start..<(index - 3)]
                } else if starts(with: "</") {
                    index += 2
                    let closing = localName(readName())
                    guard closing == name else { throw ParseError(reason: "<\(name)> closed by </\(closing)>") }
                    try skip(past: ">")
                    result.text = String(decoding: text, as: UTF8.self)
                    return result
                } else if try skipMarkup() {
                    continue
                } else {
                    result.children.append(try element())
                }
            }
        }

        mutating func readName() -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ")
                    || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                {
                    break
                }
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        func localName(_ name: String) -> String {
            name.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init) ?? name
        }

        func starts(with prefix: String) -> Bool {
            let prefix = Array(prefix.utf8)
            return index + prefix.count <= bytes.count && bytes[index..<(index + prefix.count)].elementsEqual(prefix)
        }

        mutating func skip(past terminator: String) throws {
            while index < bytes.count {
                if starts(with: terminator) {
                    index += terminator.utf8.count
                    return
                }
                index += 1
            }
            throw ParseError(reason: "no \(terminator)")
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// `text` with its entity references replaced by the UTF-8 of what they name.
        func decodeEntities(_ text: ArraySlice<UInt8>) throws -> [UInt8] {
            guard text.contains(UInt8(ascii: "&")) else { return Array(text) }
            var decoded: [UInt8] = []
            var position = text.startIndex
            while position < text.endIndex {
                guard text[position] == UInt8(ascii: "&") else {
                    decoded.append(text[position])
                    position += 1
                    continue
                }
                guard let end = text[position...].firstIndex(of: UInt8(ascii: ";")) else {
                    throw ParseError(reason: "an unterminated entity")
                }
                let entity = String(decoding: text[(position + 1)..<end], as: UTF8.self)
                let scalar: Unicode.Scalar?
                switch entity {
                case "amp": scalar = "&"
                case "lt": scalar = "<"
                case "gt": scalar = ">"
                case "quot": scalar = "\""
                case "apos": scalar = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if entity.hasPrefix("#") {
                        scalar = UInt32(entity.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                    } else {
                        scalar = nil
                    }
                }
                guard let scalar else { throw ParseError(reason: "an unknown entity &\(entity);") }
                decoded += Array(String(scalar).utf8)
                position = end + 1
            }
            return decoded
        }
    }
}
