/// The first pass over a capture: every RTP stream (one per source and destination address and port; a new
/// SSRC on the same addresses continues it) with its payload types, first arrival and clock drift, and the SIP
/// offers and answers that say which codec each payload type is and who called. Holds only per-stream
/// counters, never packets, so a capture of any length is indexed in constant memory.
public struct CaptureIndex: Sendable {
    /// A stream's identity: the datagrams' source and destination.
    public struct StreamKey: Hashable, Sendable, Codable {
        public var source: Endpoint
        public var destination: Endpoint
    }

    /// What the first pass learned about one RTP stream.
    public struct Stream: Sendable {
        public var key: StreamKey
        public var ssrcs: [UInt32] = []
        /// Packets per payload type.
        public var payloadTypes: [Int: Int] = [:]
        public var packets = 0
        /// Packets whose sequence number follows the one before (same SSRC): most of a real RTP stream's, even
        /// with loss and reordering; almost none of other UDP that happens to begin like RTP.
        var successors = 0
        /// The sequence number of the stream's latest packet, nil after an SSRC change.
        var lastSequenceNumber: UInt16? = nil
        /// Capture time of the stream's first packet.
        public var firstArrival: Double
        var drift = DriftEstimator()

        /// The payload type most packets carry, leaving out DTMF and comfort noise when told their types.
        public func mediaPayloadType(ignoring types: Set<Int>) -> Int? {
            payloadTypes.filter { !types.contains($0.key) }.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        }
    }

    /// One SDP sent in SIP: who sent it and in which message.
    public struct Offer: Sendable {
        public var sender: Endpoint
        public var isInvite: Bool
        public var callID: String?
        public var sdp: SessionDescription
    }

    public var streams: [Stream]
    public var offers: [Offer]
    /// Frames seen that were not UDP, RTP or SIP (ARP, TCP, RTCP, ...), for the record.
    public var otherDatagrams: Int
    /// True when the capture ends mid-record (the streams hold what came before the cut).
    public var isTruncated: Bool

    /// Reads the capture at `path` once.
    public init(path: String) throws(CaptureError) {
        let packets = try PacketStream(path: path, readingSIPOverTCP: true)
        var streams: [StreamKey: Stream] = [:]
        var order: [StreamKey] = []
        var offers: [Offer] = []
        var other = 0
        var truncated = false
        var frames = 0
        while true {
            let next: (time: Double, content: CapturedContent)?
            do {
                next = try packets.next()
            } catch {
                // A capture cut off mid-record still holds the call up to there; one that fails at once is not one.
                guard frames > 0 else { throw error }
                truncated = true
                next = nil
            }
            guard let (time, content) = next else { break }
            frames += 1
            let datagram: UDPDatagram
            switch content {
            case .sipOverTCP(let message, let sender):
                offers += Offer(message, sender: sender).map { [$0] } ?? []
                continue
            case .datagram(let udp):
                datagram = udp
            }
            if let message = SIPMessage(datagram.payload) {
                offers += Offer(message, sender: datagram.source).map { [$0] } ?? []
                continue
            }
            guard let rtp = RTPPacket(datagram.payload) else {
                other += 1
                continue
            }
            let key = StreamKey(source: datagram.source, destination: datagram.destination)
            if streams[key] == nil {
                order.append(key)
                streams[key] = Stream(key: key, firstArrival: time)
            }
            streams[key]!.record(rtp, arrival: time)
        }
        let found = order.compactMap { streams[$0] }
        self.streams = found.filter(\.isRTP)
        self.offers = offers
        self.otherDatagrams = other + found.filter { !$0.isRTP }.map(\.packets).reduce(0, +)
        self.isTruncated = truncated
    }

    /// Fewer packets than this is stray UDP that happens to look like RTP, not a call leg.
    static let minimumPackets = 3
}

extension CaptureIndex.Offer {
    /// The offer or answer `message` carries: an INVITE's, a 2xx or 183 response's, or an ACK's SDP; nil for
    /// other messages.
    init?(_ message: SIPMessage, sender: Endpoint) {
        guard let sdp = message.sdp else { return nil }
        let isInvite = message.method == "INVITE"
        let isAnswer = message.status.map { (200..<300).contains($0) || $0 == 183 } ?? false
        guard isInvite || isAnswer || message.method == "ACK" else { return nil }
        self.init(sender: sender, isInvite: isInvite, callID: message.callID, sdp: sdp)
    }
}

extension CaptureIndex.Stream {
    fileprivate mutating func record(_ packet: RTPPacket, arrival: Double) {
        if ssrcs.last != packet.ssrc {
            ssrcs.append(packet.ssrc)
            drift.startSegment()
            lastSequenceNumber = nil
        }
        if packet.sequenceNumber == lastSequenceNumber.map({ $0 &+ 1 }) { successors += 1 }
        lastSequenceNumber = packet.sequenceNumber
        packets += 1
        payloadTypes[packet.payloadType, default: 0] += 1
        drift.add(timestamp: packet.timestamp, arrival: arrival)
    }

    /// True for a call leg: a few packets at least, at least a quarter of them following their predecessor's
    /// sequence number. UDP that merely begins like RTP (a quarter of random first bytes do: a VPN or IPsec
    /// tunnel, DNS) has sequence numbers that go nowhere, and is never decoded as audio.
    var isRTP: Bool { packets >= CaptureIndex.minimumPackets && successors * 4 >= packets }

    /// The stream's RTP clock against the capture clock, in parts per million (positive: the sender's clock
    /// runs fast), given its nominal clock rate; nil when it adds up to under 2 ms over the stream (jitter).
    public func driftPPM(clockRate: Int) -> Double? { drift.ppm(clockRate: clockRate) }
}
