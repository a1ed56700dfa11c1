import CallCapture
import Foundation
import Testing

/// The packet side alone: link types, IP versions, fragmented SIP, and what the first pass finds.
@Suite struct PacketSideTests {
    static let linkTypes = ["ethernet", "vlan", "sll", "sll2", "raw", "null"]

    @Test(arguments: linkTypes, [false, true])
    func everyLinkTypeAndIPVersionYieldsBothStreamsAndTheSignalling(link: String, ipv6: Bool) throws {
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(ipv6: ipv6, ["link": link, "fragmentSIP": true, "sdpPadding": 30]))
        let index = try CaptureIndex(path: fixture.capture)
        let caller = Endpoint(address: ipv6 ? "2001:db8::1" : "10.0.0.1", port: 40_000)
        let callee = Endpoint(address: ipv6 ? "2001:db8::2" : "10.0.0.2", port: 50_000)
        #expect(index.streams.map(\.key.source) == [caller, callee])
        #expect(index.streams.map(\.packets) == [150, 150])
        #expect(index.streams.map(\.firstArrival) == [1_700_000_000.0, 1_700_000_000.25])
        // The INVITE and the 200 OK were each fragmented; reassembled, their SDP names both media endpoints.
        #expect(index.offers.map(\.isInvite) == [true, false])
        #expect(index.offers.flatMap(\.sdp.media).map(\.endpoint) == [caller, callee])
    }

    @Test func pcapngIsReadToo() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(["pcapng": true]))
        #expect(fixture.capture.hasSuffix(".pcapng"))
        #expect(try CaptureIndex(path: fixture.capture).streams.count == 2)
    }

    @Test func garbageIsOneClearError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID()).pcap")
        try Data([0xD4, 0xC3, 0xB2, 0xA1] + [UInt8](repeating: 0x5A, count: 40)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: CaptureError.self) { try CaptureIndex(path: file.path) }
        #expect(error?.description.hasPrefix(file.path + ": ") == true)
        #expect(error?.description.contains("\n") == false)
    }
}
