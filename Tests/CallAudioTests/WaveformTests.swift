import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// The seek bar's peaks, written by the same pass as the MP3: one channel per leg on the call's timeline.
@Suite struct WaveformTests {
    @Test func peaksShowEachLegWhereItSpeaksInAudiowaveformV2JSON() throws {
        try withScratchFolder { folder throws in
            let caller = folder.appendingPathComponent("caller.wav")
            let agent = folder.appendingPathComponent("agent.wav")
            try Fixtures.write(
                Signals.sine(440, amplitude: 0.5, seconds: 2, format: .mono(8_000)), to: caller, as: .pcm16)
            try Fixtures.write(
                Signals.sine(300, amplitude: 0.25, seconds: 1, format: .mono(16_000)), to: agent, as: .pcm16)
            let output = folder.appendingPathComponent("out")
            let report = try CallProcessor().run(
                CallRecipe(
                    legs: [.init(path: caller.path), .init(path: agent.path, offset: 1.5)],
                    outputDirectory: output.path, enhancement: .off))

            let path = output.appendingPathComponent("call.waveform.json")
            #expect(report.waveform == path.path)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
            #expect(json["version"] as? Int == 2)
            #expect(json["channels"] as? Int == 2)
            #expect(json["sample_rate"] as? Int == 16_000)
            #expect(json["samples_per_pixel"] as? Int == 320)
            #expect(json["bits"] as? Int == 8)
            let length = try #require(json["length"] as? Int)
            #expect(length == 125)  // 2.5 s at 50 pixels per second
            let data = try #require(json["data"] as? [Int])
            #expect(data.count == length * 4)
            func peak(leg: Int, pixels: Range<Int>) -> Int {
                pixels.map { max(-data[$0 * 4 + leg * 2], data[$0 * 4 + leg * 2 + 1]) }.max() ?? 0
            }
            #expect((60...64).contains(peak(leg: 0, pixels: 5..<95)))  // 0.5 of full scale
            #expect(peak(leg: 0, pixels: 101..<125) == 0)  // the caller has hung up
            #expect(peak(leg: 1, pixels: 0..<74) == 0)  // the agent starts at 1.5 s
            #expect((29...33).contains(peak(leg: 1, pixels: 80..<120)))  // 0.25 of full scale
            let hidden = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".") }
            #expect(hidden.isEmpty)
        }
    }
}
