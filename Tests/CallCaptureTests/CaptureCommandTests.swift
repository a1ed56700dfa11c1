import AudioTesting
import CallAudio
import Foundation
import Testing

/// `callaudio process CALL.pcap` as a user runs it: the built binary, its exit status and what it prints.
@Suite struct CaptureCommandTests {
    static let binary = Fixtures.packageRoot.appendingPathComponent(".build/debug/callaudio").path

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

    /// `encode` on a capture writes the call it holds: both legs placed by capture time and mixed.
    @Test func encodeTurnsACaptureIntoTheCallItHolds() throws {
        let fixture = try CaptureFixture(CaptureFixture.twoLegSpec())
        let output = fixture.folder.appendingPathComponent("encoded")
        let result = try CaptureFixture.run(Self.binary, ["encode", fixture.capture, "--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        let name = URL(fileURLWithPath: fixture.capture).deletingPathExtension().lastPathComponent + ".mp3"
        let call = try Fixtures.read(output.appendingPathComponent(name))
        #expect(call.format.channelCount == 1)
        #expect(abs(call.duration - 3.25) < 0.05, "the callee's 3 s start 0.25 s after the caller's")
        let rate = call.format.sampleRate
        func tones(from start: Double, to end: Double) -> (caller: Double, callee: Double) {
            let samples = call.samples[Int(start * Double(rate))..<Int(end * Double(rate))]
            return (
                Measure.toneDB(samples, frequency: 440, sampleRate: rate),
                Measure.toneDB(samples, frequency: 660, sampleRate: rate)
            )
        }
        let callerAlone = tones(from: 0.02, to: 0.22)
        #expect(callerAlone.caller - callerAlone.callee > 30, "\(callerAlone)")
        let both = tones(from: 1, to: 2)
        #expect(abs(both.caller - both.callee) < 3, "\(both)")
        #expect(both.caller > -20, "\(both)")
    }
}
