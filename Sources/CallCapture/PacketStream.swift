/// Reads a capture's UDP datagrams with their capture times, whatever the link type, reassembling IP fragments.
public final class PacketStream {
    private let reader: PcapReader
    private let reassembler = IPReassembler()

    public init(path: String) throws(CaptureError) {
        reader = try PcapReader(path: path)
        guard LinkLayer.supported.contains(reader.linkType) else {
            throw CaptureError(
                path: path,
                "link type \(reader.linkType) is not supported (Ethernet, VLAN, Linux cooked v1/v2, raw IP, loopback are)"
            )
        }
    }

    /// The next UDP datagram and when it was captured; nil at the end of the capture.
    public func next() throws(CaptureError) -> (time: Double, datagram: UDPDatagram)? {
        while let frame = try reader.next() {
            guard let packet = LinkLayer.ipPacket(in: frame.bytes, linkType: frame.linkType),
                let datagram = reassembler.udp(in: packet)
            else { continue }
            return (frame.time, datagram)
        }
        return nil
    }
}
