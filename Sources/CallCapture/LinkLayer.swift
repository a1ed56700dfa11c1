/// Finds the IP packet inside a captured frame for the link types call captures come in.
enum LinkLayer {
    static let null: Int32 = 0  // BSD loopback: a 4-byte address family in host order
    static let ethernet: Int32 = 1
    static let raw: Int32 = 101  // LINKTYPE_RAW: the frame is the IP packet
    static let rawIPv4: Int32 = 228
    static let rawIPv6: Int32 = 229
    static let loopback: Int32 = 108  // OpenBSD loopback: the family in network order
    static let linuxCooked: Int32 = 113  // SLL
    static let linuxCooked2: Int32 = 276  // SLL2

    static let supported: [Int32] = [null, ethernet, raw, rawIPv4, rawIPv6, loopback, linuxCooked, linuxCooked2]

    /// The IP packet of `frame`, or nil when the frame carries something else (ARP, a non-IP protocol).
    static func ipPacket(in frame: [UInt8], linkType: Int32) -> ArraySlice<UInt8>? {
        let reader = ByteReader(frame)
        switch linkType {
        case ethernet:
            var offset = 12
            var etherType = reader.u16(offset)
            // 802.1Q and 802.1ad (QinQ) tags: skip each 4-byte tag.
            while etherType == 0x8100 || etherType == 0x88A8 || etherType == 0x9100 {
                offset += 4
                etherType = reader.u16(offset)
            }
            return isIP(etherType) ? reader.slice(from: offset + 2) : nil
        case linuxCooked:
            return isIP(reader.u16(14)) ? reader.slice(from: 16) : nil
        case linuxCooked2:
            return isIP(reader.u16(0)) ? reader.slice(from: 20) : nil
        case null, loopback:
            return reader.slice(from: 4)
        case raw, rawIPv4, rawIPv6:
            return frame[...]
        default:
            return nil
        }
    }

    private static func isIP(_ etherType: UInt16?) -> Bool { etherType == 0x0800 || etherType == 0x86DD }
}
