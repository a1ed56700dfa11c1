import CallAudio
import Foundation
import Testing

/// `callaudio process CALL.pcap` as a user runs it: the built binary, its exit status and what it prints.
@Suite struct CaptureCommandTests {
    static let binary = CaptureFixture.packageRoot.appendingPathComponent(".build/debug/callaudio").path

    @Test func aCaptureIsProcessedIntoStereoLegsWithTheReport() throws {
        let fixture = try CaptureFixture(
            CaptureFixture.twoLegSpec(caller: ["dtmf": [["digit": "7", "at": 0.5, "ms": 100]]]))
        let output = fixture.folder.appendingPathComponent("out")
        let result = try CaptureFixture.run(
            Self.binary, ["process", fixture.capture, "--layout", "stereo", "--output", output.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
        #expect(report.legs.map(\.role) == ["caller", "callee"])
        #expect(report.legs[0].capture?.dtmf.map(\.digit) == ["7"])
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("call.mp3").path))
    }

    @Test func aCaptureWithOnlySRTPFailsWithOneLineAndExit65() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec(["srtp": true]))
        let output = fixture.folder.appendingPathComponent("out")
        let result = try CaptureFixture.run(Self.binary, ["process", fixture.capture, "--output", output.path])
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("callaudio: \(fixture.capture): holds no decodable RTP stream ("))
        #expect(result.stderr.contains("encrypted (SRTP: RTP/SAVP)"))
        #expect(result.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("call.mp3").path))
    }
}
