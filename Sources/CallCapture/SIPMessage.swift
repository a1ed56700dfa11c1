import Foundation

/// The parts of a SIP message (RFC 3261; a UDP datagram, or framed out of a TCP stream by `SIPOverTCP`) that
/// say who called whom with which media: the request method or response status, the Call-ID, the CSeq method,
/// and the SDP body.
public struct SIPMessage: Sendable {
    /// "INVITE", "ACK", ... for a request; nil for a response.
    public var method: String?
    /// The status code of a response (200 for OK).
    public var status: Int?
    public var callID: String?
    /// The method a response answers (from CSeq).
    public var cseqMethod: String?
    public var sdp: SessionDescription?

    /// Parses `payload` when it is a SIP message; nil otherwise.
    public init?(_ payload: ArraySlice<UInt8>) {
        guard payload.count > 12, let text = String(validating: payload, as: UTF8.self) else { return nil }
        let parts = text.split(separator: "\r\n\r\n", maxSplits: 1, omittingEmptySubsequences: false)
        let headerLines = parts[0].split(separator: "\r\n")
        guard let startLine = headerLines.first else { return nil }
        let words = startLine.split(separator: " ")
        if startLine.hasPrefix("SIP/2.0 ") {
            guard words.count >= 2, let status = Int(words[1]) else { return nil }
            self.status = status
        } else {
            guard words.count == 3, words[2] == "SIP/2.0" else { return nil }
            self.method = String(words[0])
        }
        for line in headerLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch name {
            case "call-id", "i": callID = value
            case "cseq": cseqMethod = value.split(separator: " ").last.map(String.init)
            default: break
            }
        }
        if parts.count == 2 { sdp = SessionDescription(parts[1]) }
    }
}
