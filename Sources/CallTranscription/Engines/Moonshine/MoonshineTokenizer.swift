import Foundation

/// Moonshine's tokenizer as `tokenizer.bin` stores it: the bytes of each token, in token order. Each entry is a
/// length then that many bytes; the length is one byte below 128, else two (`first - 128 + second * 128`); a zero
/// length is an unused token. Words start with `▁` (U+2581), which reads as a space.
struct MoonshineTokenizer: Sendable {
    /// Each token's bytes, indexed by token id.
    let tokens: [[UInt8]]

    /// Reads `tokenizer.bin` at `path`.
    /// - Throws: `TranscriptionError.misconfigured` when the file cannot be read or is cut short.
    init(contentsOf path: String) throws(TranscriptionError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TranscriptionError(.misconfigured, "\(path): cannot be read")
        }
        try self.init(data: [UInt8](data), path: path)
    }

    init(data bytes: [UInt8], path: String = "tokenizer.bin") throws(TranscriptionError) {
        var tokens: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            var length = Int(bytes[offset])
            offset += 1
            if length >= 128 {
                guard offset < bytes.count else { break }
                length = length - 128 + Int(bytes[offset]) * 128
                offset += 1
            }
            guard offset + length <= bytes.count else {
                throw TranscriptionError(.misconfigured, "\(path): token \(tokens.count) is cut short")
            }
            tokens.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        guard !tokens.isEmpty else { throw TranscriptionError(.misconfigured, "\(path): no tokens") }
        self.tokens = tokens
    }

    /// The text of `ids`: special tokens such as `<s>` left out, `▁` read as a space, trimmed.
    func text(of ids: [Int]) -> String {
        var bytes: [UInt8] = []
        for id in ids where tokens.indices.contains(id) {
            let token = tokens[id]
            if token.count > 2, token.first == UInt8(ascii: "<"), token.last == UInt8(ascii: ">") { continue }
            bytes += token
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\u{2581}", with: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}
