/// One UDP datagram taken out of an IP packet (reassembled when it came in fragments).
public struct UDPDatagram: Sendable {
    public var source: Endpoint
    public var destination: Endpoint
    public var payload: ArraySlice<UInt8>

    /// Parses the UDP header at the start of `segment`; nil when it is cut short.
    init?(segment: ArraySlice<UInt8>, sourceAddress: String, destinationAddress: String) {
        let reader = ByteReader(segment)
        guard let sourcePort = reader.u16(0), let destinationPort = reader.u16(2), let length = reader.u16(4),
            length >= 8
        else { return nil }
        // A datagram longer than what was captured keeps what there is; trailing padding is cut off.
        let payloadLength = min(Int(length), reader.count) - 8
        guard let payload = reader.slice(from: 8, length: payloadLength) else { return nil }
        self.source = Endpoint(address: sourceAddress, port: Int(sourcePort))
        self.destination = Endpoint(address: destinationAddress, port: Int(destinationPort))
        self.payload = payload
    }
}

/// An IP address and port.
public struct Endpoint: Hashable, Sendable, Codable, CustomStringConvertible {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    public var description: String { address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)" }
}
