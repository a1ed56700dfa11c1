import CPcap

/// One captured frame: when it was captured, how its link layer is framed, and its bytes.
public struct CapturedFrame {
    /// Capture time in seconds since the epoch.
    public var time: Double
    public var linkType: Int32
    public var bytes: [UInt8]
    /// True when the capture kept fewer bytes than were on the wire (a snap length).
    public var isTruncated: Bool
}

/// Reads a pcap or pcapng file frame by frame with libpcap (`pcap_open_offline`, `pcap_next_ex`), so a capture
/// of any length is read in constant memory. Owns the libpcap handle and closes it on deinit.
public final class PcapReader {
    public let path: String
    public let linkType: Int32
    private let handle: OpaquePointer

    /// Opens `path`; a file libpcap does not recognise as a capture throws `CaptureError.unreadable`.
    public init(path: String) throws(CaptureError) {
        var message = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = pcap_open_offline_with_tstamp_precision(path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &message)
        else {
            let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw CaptureError(path: path, "not a readable pcap or pcapng capture (\(reason))")
        }
        self.path = path
        self.handle = handle
        self.linkType = pcap_datalink(handle)
    }

    deinit { pcap_close(handle) }

    /// The next frame, nil at the end. A capture cut off mid-record throws, naming how far it got.
    public func next() throws(CaptureError) -> CapturedFrame? {
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        switch pcap_next_ex(handle, &header, &data) {
        case 1:
            guard let header, let data else { return nil }
            let length = Int(header.pointee.caplen)
            let time = Double(header.pointee.ts.tv_sec) + Double(header.pointee.ts.tv_usec) / 1e9
            return CapturedFrame(
                time: time, linkType: linkType, bytes: Array(UnsafeBufferPointer(start: data, count: length)),
                isTruncated: header.pointee.caplen < header.pointee.len)
        case PCAP_ERROR_BREAK:
            return nil
        default:
            throw CaptureError(path: path, "damaged capture (\(String(cString: pcap_geterr(handle))))")
        }
    }
}

/// A capture that cannot be used, in one line naming the file and what is wrong.
public struct CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
