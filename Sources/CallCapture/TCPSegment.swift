/// One TCP segment taken out of an IP packet: the fields that put its bytes in order, and the bytes.
struct TCPSegment: Sendable {
    var source: Endpoint
    var destination: Endpoint
    var sequenceNumber: UInt32
    /// The connection ends here (FIN or RST): nothing more is to be framed on it.
    var closes: Bool
    var payload: ArraySlice<UInt8>

    /// Parses the TCP header at the start of `segment`; nil when it is cut short.
    init?(segment: ArraySlice<UInt8>, sourceAddress: String, destinationAddress: String) {
        let reader = ByteReader(segment)
        guard let sourcePort = reader.u16(0), let destinationPort = reader.u16(2),
            let sequenceNumber = reader.u32(4), let offsetByte = reader.u8(12), let flags = reader.u8(13),
            case let headerLength = Int(offsetByte >> 4) * 4, headerLength >= 20,
            let payload = reader.slice(from: headerLength)
        else { return nil }
        self.source = Endpoint(address: sourceAddress, port: Int(sourcePort))
        self.destination = Endpoint(address: destinationAddress, port: Int(destinationPort))
        self.sequenceNumber = sequenceNumber
        self.closes = flags & 0x05 != 0
        self.payload = payload
    }
}
