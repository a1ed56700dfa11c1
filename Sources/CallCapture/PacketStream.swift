/// What a capture holds for a call, record by record.
public enum CapturedContent: Sendable {
    /// A UDP datagram: RTP, or SIP over UDP.
    case datagram(UDPDatagram)
    /// A SIP message put back together from a TCP connection.
    case sipOverTCP(SIPMessage, sender: Endpoint)
}

/// Reads a capture's UDP datagrams and its SIP over TCP, with their capture times, whatever the link type,
/// reassembling IP fragments and TCP streams.
public final class PacketStream {
    private let reader: PcapReader
    private let reassembler = IPReassembler()
    /// Nil when the reader wants RTP only (a leg's decoding pass): TCP is then not followed at all.
    private let sipOverTCP: SIPOverTCP?
    /// Messages a TCP segment completed beyond the first one returned.
    private var completed: [(time: Double, content: CapturedContent)] = []

    /// `readingSIPOverTCP` puts SIP messages sent over TCP back together (the index pass needs the signalling;
    /// a leg's decoding pass does not).
    public init(path: String, readingSIPOverTCP: Bool = false) throws(CaptureError) {
        reader = try PcapReader(path: path)
        sipOverTCP = readingSIPOverTCP ? SIPOverTCP() : nil
        guard LinkLayer.supported.contains(reader.linkType) else {
            throw CaptureError(
                path: path,
                "link type \(reader.linkType) is not supported (Ethernet, VLAN, Linux cooked v1/v2, raw IP, loopback are)"
            )
        }
    }

    /// The next datagram or SIP message and when it was captured (a message: when its last segment was);
    /// nil at the end of the capture.
    public func next() throws(CaptureError) -> (time: Double, content: CapturedContent)? {
        if !completed.isEmpty { return completed.removeFirst() }
        while let frame = try reader.next() {
            guard let packet = LinkLayer.ipPacket(in: frame.bytes, linkType: frame.linkType),
                let transport = reassembler.transport(in: packet)
            else { continue }
            switch transport {
            case .udp(let datagram):
                return (frame.time, .datagram(datagram))
            case .tcp(let segment):
                guard let sipOverTCP else { continue }
                completed = sipOverTCP.messages(completedBy: segment).map {
                    (frame.time, .sipOverTCP($0.message, sender: $0.sender))
                }
                if !completed.isEmpty { return completed.removeFirst() }
            }
        }
        return nil
    }
}
