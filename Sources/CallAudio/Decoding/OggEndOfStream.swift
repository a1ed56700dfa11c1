import Foundation

/// Whether an Ogg file ends the way a finished recording does: with a complete last page that carries the
/// end-of-stream flag. A recorder killed mid-call leaves a file cut at a page boundary with no such flag, which
/// libsndfile decodes without complaint; this check is what marks it partial.
enum OggEndOfStream {
    /// The longest an Ogg page can be: a 27-byte header, 255 lacing values and 255 segments of 255 bytes.
    static let maximumPageBytes = 27 + 255 + 255 * 255

    /// True when the file's last page is complete and flagged end-of-stream; false when it is cut or unflagged.
    static func isMarked(in path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size > 0 else { return false }
        let start = size > UInt64(maximumPageBytes) ? size - UInt64(maximumPageBytes) : 0
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return false }
        let tail = [UInt8](data)
        // The last page is the one whose header starts a page that ends exactly at the end of the file.
        var position = tail.count - 27
        while position >= 0 {
            if let end = pageEnd(in: tail, at: position), end == tail.count {
                return tail[position + 5] & 0x04 != 0
            }
            position -= 1
        }
        return false
    }

    /// Where the page whose header starts at `position` ends, if a page header ("OggS", version 0) starts there.
    private static func pageEnd(in bytes: [UInt8], at position: Int) -> Int? {
        guard position + 27 <= bytes.count, bytes[position..<position + 4].elementsEqual("OggS".utf8),
            bytes[position + 4] == 0
        else { return nil }
        let segments = Int(bytes[position + 26])
        let table = position + 27
        guard table + segments <= bytes.count else { return nil }
        return table + segments + bytes[table..<table + segments].reduce(0) { $0 + Int($1) }
    }
}
