/// Big-endian reads from a byte array that never trap: a read past the end returns nil.
struct ByteReader {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }
    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    var count: Int { bytes.count }

    func u8(_ offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[bytes.startIndex + offset]
    }

    func u16(_ offset: Int) -> UInt16? {
        guard let high = u8(offset), let low = u8(offset + 1) else { return nil }
        return UInt16(high) << 8 | UInt16(low)
    }

    func u32(_ offset: Int) -> UInt32? {
        guard let high = u16(offset), let low = u16(offset + 2) else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// Bytes `offset...` (or `offset..<offset+length`), nil when they are not all there.
    func slice(from offset: Int, length: Int? = nil) -> ArraySlice<UInt8>? {
        let end = length.map { offset + $0 } ?? bytes.count
        guard offset >= 0, offset <= end, end <= bytes.count else { return nil }
        return bytes[(bytes.startIndex + offset)..<(bytes.startIndex + end)]
    }
}
