import Foundation
import Testing

@testable import CallCapture

/// SIP messages framed out of TCP segments fed one at a time, as a capture delivers them.
@Suite struct SIPOverTCPTests {
    /// A segment from 10.0.0.2:5060 to 10.0.0.1:45060 at `sequence` carrying `text`.
    func segment(_ sequence: UInt32, _ text: String, closes: Bool = false) throws -> TCPSegment {
        var bytes: [UInt8] = [0x13, 0xC4, 0xB0, 0x04]
        bytes += withUnsafeBytes(of: sequence.bigEndian, Array.init)
        bytes += [0, 0, 0, 0, 0x50, closes ? 0x11 : 0x18, 0x20, 0x00, 0, 0, 0, 0]
        bytes += Array(text.utf8)
        return try #require(TCPSegment(segment: bytes[...], sourceAddress: "10.0.0.2", destinationAddress: "10.0.0.1"))
    }

    func message(_ startLine: String, body: String = "", contentLength: String? = nil) -> String {
        "\(startLine)\r\nCall-ID: 1@a\r\nCSeq: 1 INVITE\r\nContent-Length: \(contentLength ?? String(body.utf8.count))"
            + "\r\n\r\n\(body)"
    }

    @Test func messagesAreFramedByContentLengthAcrossAndWithinSegments() throws {
        let framer = SIPOverTCP()
        let invite = message("INVITE sip:bob@b SIP/2.0", body: "v=0\r\n")
        let options = message("OPTIONS sip:bob@b SIP/2.0")
        let both = invite + "\r\n\r\n" + options  // a keep-alive between them
        #expect(try framer.messages(completedBy: segment(1_000, both)).map(\.message.method) == ["INVITE", "OPTIONS"])

        let ok = Array(message("SIP/2.0 200 OK", body: "v=0\r\no=- 1 1 IN IP4 b\r\n").utf8)
        let start = UInt32(1_000 + both.utf8.count)
        let pieces = [ok[..<30], ok[30..<60], ok[60...]].map { String(decoding: $0, as: UTF8.self) }
        #expect(try framer.messages(completedBy: segment(start, pieces[0])).isEmpty)
        #expect(try framer.messages(completedBy: segment(start + 30, pieces[1])).isEmpty)
        #expect(try framer.messages(completedBy: segment(start + 30, pieces[1])).isEmpty, "a retransmission")
        let completed = try framer.messages(completedBy: segment(start + 60, pieces[2]))
        #expect(completed.map(\.message.status) == [200])
        #expect(completed.map(\.sender) == [Endpoint(address: "10.0.0.2", port: 5_060)])
    }

    @Test func aSegmentTheCaptureMissedLosesItsMessageAndFramingResumesAtTheNextOne() throws {
        let framer = SIPOverTCP()
        let invite = Array(message("INVITE sip:bob@b SIP/2.0", body: "v=0\r\n").utf8)
        #expect(try framer.messages(completedBy: segment(1, String(decoding: invite[..<40], as: UTF8.self))).isEmpty)
        let bye = message("BYE sip:bob@b SIP/2.0")
        let resumed = try framer.messages(completedBy: segment(UInt32(1 + invite.count + 100), bye))
        #expect(resumed.map(\.message.method) == ["BYE"])
    }

    @Test func anAbsurdContentLengthNeitherTrapsNorHoldsTheStream() throws {
        let framer = SIPOverTCP()
        let absurd = message("INVITE sip:bob@b SIP/2.0", contentLength: "9223372036854775807")
        #expect(try framer.messages(completedBy: segment(1, absurd)).isEmpty)
        let filler = String(repeating: "x", count: SIPOverTCP.maximumBuffer)
        #expect(try framer.messages(completedBy: segment(UInt32(1 + absurd.utf8.count), filler)).isEmpty)
        let bye = message("BYE sip:bob@b SIP/2.0")
        let next = UInt32(1 + absurd.utf8.count + filler.utf8.count)
        #expect(try framer.messages(completedBy: segment(next, bye)).map(\.message.method) == ["BYE"])
    }
}
