/// One RTP packet (RFC 3550): the header fields the timeline needs and the codec payload.
public struct RTPPacket: Sendable {
    public var payloadType: Int
    public var marker: Bool
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var payload: [UInt8]

    /// Parses `bytes` as RTP version 2 (skipping CSRCs and a header extension, removing padding); nil for
    /// anything else, including RTCP (payload types 72-76 with the marker bit).
    public init?(_ bytes: ArraySlice<UInt8>) {
        let reader = ByteReader(bytes)
        guard let first = reader.u8(0), first >> 6 == 2, let second = reader.u8(1),
            let sequenceNumber = reader.u16(2), let timestamp = reader.u32(4), let ssrc = reader.u32(8)
        else { return nil }
        let payloadType = Int(second & 0x7F)
        guard !(72...76).contains(payloadType) else { return nil }
        var offset = 12 + Int(first & 0x0F) * 4
        if first & 0x10 != 0 {
            guard let words = reader.u16(offset + 2) else { return nil }
            offset += 4 + Int(words) * 4
        }
        var end = reader.count
        if first & 0x20 != 0 {
            guard let padding = reader.u8(end - 1) else { return nil }
            end -= Int(padding)
        }
        guard let payload = reader.slice(from: offset, length: end - offset) else { return nil }
        self.payloadType = payloadType
        self.marker = second & 0x80 != 0
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.payload = Array(payload)
    }
}

/// An RFC 4733 telephone-event (a DTMF digit) as one RTP packet carries it.
public struct TelephoneEvent: Sendable, Equatable {
    /// 0-9, *, #, A-D for events 0-15.
    public var digit: Character
    public var isEnd: Bool
    /// In RTP clock ticks from the event's RTP timestamp.
    public var duration: Int

    public init?(_ payload: [UInt8]) {
        guard payload.count >= 4, payload[0] < 16 else { return nil }
        digit = Array("0123456789*#ABCD")[Int(payload[0])]
        isEnd = payload[1] & 0x80 != 0
        duration = Int(payload[2]) << 8 | Int(payload[3])
    }
}
