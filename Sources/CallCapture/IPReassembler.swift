/// What an IP packet carries that a call needs.
enum Transport {
    case udp(UDPDatagram)
    case tcp(TCPSegment)
}

/// Turns IP packets (IPv4 and IPv6, fragmented or not) into the UDP datagrams (and TCP segments) they carry,
/// reassembling fragments (large SIP messages over UDP fragment; TCP does not). Incomplete fragment sets are
/// kept only for a bounded number of datagrams, so memory does not grow with the capture.
final class IPReassembler {
    private struct FragmentKey: Hashable {
        var source: String
        var destination: String
        var identification: UInt32
    }

    private struct PartialDatagram {
        var pieces: [Int: ArraySlice<UInt8>] = [:]
        var totalLength: Int?
    }

    /// Fragment sets waiting for their missing pieces; the oldest is dropped beyond this many.
    static let maximumPending = 64
    private var pending: [FragmentKey: PartialDatagram] = [:]
    private var order: [FragmentKey] = []

    /// The UDP datagram `packet` carries, or completes, or its TCP segment; nil for other protocols,
    /// incomplete fragments and fragmented TCP.
    func transport(in packet: ArraySlice<UInt8>) -> Transport? {
        let reader = ByteReader(packet)
        switch reader.u8(0).map({ $0 >> 4 }) {
        case 4: return ipv4(reader)
        case 6: return ipv6(reader)
        default: return nil
        }
    }

    private func ipv4(_ reader: ByteReader) -> Transport? {
        guard let first = reader.u8(0), let totalLength = reader.u16(2), let identification = reader.u16(4),
            let flagsAndOffset = reader.u16(6), let proto = reader.u8(9), proto == Self.udp || proto == Self.tcp
        else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20,
            let body = reader.slice(from: headerLength, length: min(Int(totalLength), reader.count) - headerLength),
            let source = reader.slice(from: 12, length: 4), let destination = reader.slice(from: 16, length: 4)
        else { return nil }
        let sourceAddress = source.map(String.init).joined(separator: ".")
        let destinationAddress = destination.map(String.init).joined(separator: ".")
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let fragmentOffset = Int(flagsAndOffset & 0x1FFF) * 8
        guard moreFragments || fragmentOffset > 0 else {
            return Self.transport(proto, in: body, from: sourceAddress, to: destinationAddress)
        }
        guard proto == Self.udp else { return nil }
        let key = FragmentKey(
            source: sourceAddress, destination: destinationAddress, identification: UInt32(identification))
        return add(body, at: fragmentOffset, isLast: !moreFragments, key: key).map(Transport.udp)
    }

    private func ipv6(_ reader: ByteReader) -> Transport? {
        guard let payloadLength = reader.u16(4), var nextHeader = reader.u8(6),
            let source = reader.slice(from: 8, length: 16), let destination = reader.slice(from: 24, length: 16)
        else { return nil }
        let sourceAddress = Self.ipv6Text(source)
        let destinationAddress = Self.ipv6Text(destination)
        var offset = 40
        let end = min(40 + Int(payloadLength), reader.count)
        var fragment: (offset: Int, more: Bool, identification: UInt32)?
        // Walk the extension headers to UDP or TCP, noting a fragment header (44) on the way.
        while nextHeader != Self.udp && nextHeader != Self.tcp {
            guard let following = reader.u8(offset) else { return nil }
            switch nextHeader {
            case 0, 43, 60:
                guard let length = reader.u8(offset + 1) else { return nil }
                offset += (Int(length) + 1) * 8
            case 44:
                guard let field = reader.u16(offset + 2), let identification = reader.u32(offset + 4) else {
                    return nil
                }
                fragment = (Int(field & 0xFFF8), field & 1 != 0, identification)
                offset += 8
            default:
                return nil
            }
            nextHeader = following
        }
        guard let body = reader.slice(from: offset, length: end - offset) else { return nil }
        guard let fragment, fragment.more || fragment.offset > 0 else {
            return Self.transport(nextHeader, in: body, from: sourceAddress, to: destinationAddress)
        }
        guard nextHeader == Self.udp else { return nil }
        let key = FragmentKey(
            source: sourceAddress, destination: destinationAddress, identification: fragment.identification)
        return add(body, at: fragment.offset, isLast: !fragment.more, key: key).map(Transport.udp)
    }

    private static let udp: UInt8 = 17
    private static let tcp: UInt8 = 6

    /// The UDP datagram or TCP segment in a whole (unfragmented) IP payload of protocol `proto`.
    private static func transport(
        _ proto: UInt8, in body: ArraySlice<UInt8>, from source: String, to destination: String
    ) -> Transport? {
        if proto == udp {
            return UDPDatagram(segment: body, sourceAddress: source, destinationAddress: destination).map(Transport.udp)
        }
        return TCPSegment(segment: body, sourceAddress: source, destinationAddress: destination).map(Transport.tcp)
    }

    /// Files one fragment; returns the datagram once every byte from 0 to the last fragment's end is there.
    private func add(_ piece: ArraySlice<UInt8>, at offset: Int, isLast: Bool, key: FragmentKey) -> UDPDatagram? {
        if pending[key] == nil {
            order.append(key)
            if order.count > Self.maximumPending { pending[order.removeFirst()] = nil }
        }
        var partial = pending[key, default: PartialDatagram()]
        partial.pieces[offset] = piece
        if isLast { partial.totalLength = offset + piece.count }
        pending[key] = partial
        guard let total = partial.totalLength else { return nil }
        var whole: [UInt8] = []
        whole.reserveCapacity(total)
        while whole.count < total {
            guard let next = partial.pieces[whole.count], !next.isEmpty else { return nil }
            whole += next
        }
        pending[key] = nil
        order.removeAll { $0 == key }
        return UDPDatagram(segment: whole[...], sourceAddress: key.source, destinationAddress: key.destination)
    }

    /// An IPv6 address as text: eight hexadecimal groups, the longest run of zero groups written `::`.
    static func ipv6Text(_ bytes: ArraySlice<UInt8>) -> String {
        let reader = ByteReader(bytes)
        let groups = (0..<8).map { reader.u16($0 * 2) ?? 0 }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            let start = index
            while index < 8 && groups[index] == 0 { index += 1 }
            if index - start > bestLength && index - start > 1 { (bestStart, bestLength) = (start, index - start) }
        }
        let text = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else { return text.joined(separator: ":") }
        return text[..<bestStart].joined(separator: ":") + "::"
            + text[(bestStart + bestLength)...].joined(separator: ":")
    }
}
