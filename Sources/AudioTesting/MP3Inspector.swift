import Foundation

/// Reads what players read at the start of an MP3: the ID3v2 tag's text frames and the Xing/LAME info frame.
/// Independent of the encoder under test, so tests check the file rather than the encoder's own view of it.
public struct MP3Inspector {
    /// Text frames by id ("TIT2"); user frames as "TXXX:DESCRIPTION".
    public private(set) var textFrames: [String: String] = [:]
    /// The info frame's tag: "Xing" (VBR/ABR) or "Info" (CBR); nil when there is none.
    public private(set) var infoTag: String?
    /// Whether the info frame carries LAME's extension (encoder delay and padding, for gapless playback).
    public private(set) var hasLAMEExtension = false
    /// Audio frames the info frame declares.
    public private(set) var declaredFrames: Int?

    public init(_ url: URL) throws {
        let data = [UInt8](try Data(contentsOf: url))
        var audioStart = 0
        if data.count > 10, data[0..<3].elementsEqual("ID3".utf8) {
            let size = data[6..<10].reduce(0) { $0 << 7 | Int($1 & 0x7F) }
            readFrames(data[10..<min(data.count, 10 + size)])
            audioStart = 10 + size
        }
        let firstFrame = data[audioStart..<min(data.count, audioStart + 400)]
        for tag in ["Xing", "Info"] {
            if let range = Self.find(tag, in: firstFrame) {
                infoTag = tag
                let flags = firstFrame[range.upperBound..<range.upperBound + 4].reduce(0) { $0 << 8 | Int($1) }
                if flags & 1 != 0 {
                    declaredFrames = firstFrame[range.upperBound + 4..<range.upperBound + 8].reduce(0) {
                        $0 << 8 | Int($1)
                    }
                }
            }
        }
        hasLAMEExtension = Self.find("LAME", in: firstFrame) != nil
    }

    private mutating func readFrames(_ tag: ArraySlice<UInt8>) {
        var position = tag.startIndex
        while position + 10 <= tag.endIndex, tag[position] != 0 {
            let id = String(decoding: tag[position..<position + 4], as: UTF8.self)
            let size = tag[position + 4..<position + 8].reduce(0) { $0 << 8 | Int($1) }
            let body = tag[(position + 10)..<min(tag.endIndex, position + 10 + size)]
            position += 10 + size
            guard id.hasPrefix("T") || id == "COMM", let encoding = body.first else { continue }
            var text = Self.decode(body.dropFirst(id == "COMM" ? 4 : 1), encoding: encoding)
            if id == "TXXX" || id == "COMM" {
                let parts = text.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
                let key = id == "TXXX" ? "TXXX:\(parts[0])" : "COMM"
                text = parts.count > 1 ? String(parts[1]) : ""
                textFrames[key] = text.trimmingCharacters(in: CharacterSet(charactersIn: "\u{0}"))
            } else {
                textFrames[id] = text.trimmingCharacters(in: CharacterSet(charactersIn: "\u{0}"))
            }
        }
    }

    /// Decodes ID3 text: 0 Latin-1, 1 UTF-16 with BOM, 3 UTF-8. Fields separated by NUL stay separated by "\0".
    private static func decode(_ bytes: ArraySlice<UInt8>, encoding: UInt8) -> String {
        switch encoding {
        case 1:
            var units: [UInt16] = []
            var index = bytes.startIndex
            while index + 1 < bytes.endIndex {
                units.append(UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8)
                index += 2
            }
            // Each field starts with its own BOM; drop them and keep NUL separators.
            return String(decoding: units.filter { $0 != 0xFEFF }, as: UTF16.self)
        case 3: return String(decoding: bytes, as: UTF8.self)
        default: return String(bytes.map { Character(Unicode.Scalar($0)) })
        }
    }

    private static func find(_ text: String, in bytes: ArraySlice<UInt8>) -> Range<Int>? {
        let needle = Array(text.utf8)
        guard bytes.count >= needle.count else { return nil }
        for start in bytes.startIndex...(bytes.endIndex - needle.count)
        where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}
