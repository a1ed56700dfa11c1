import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// A whole call from files to outputs: legs in different formats and rates, offsets, both layouts.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class CallProcessorTests {
    let folder: URL
    let caller: String
    let agent: String

    init() throws {
        folder = try Fixtures.scratchFolder()
        let callerURL = folder.appendingPathComponent("caller.wav")
        let agentURL = folder.appendingPathComponent("agent.opus")
        try Fixtures.write(
            Signals.sine(440, amplitude: 0.4, seconds: 3, format: .mono(8_000)), to: callerURL, as: .mulaw)
        try Fixtures.write(
            Signals.sine(1_000, amplitude: 0.4, seconds: 2, format: .mono(48_000)), to: agentURL, as: .opus)
        caller = callerURL.path
        agent = agentURL.path
    }

    deinit { Fixtures.removeScratchFolder(folder) }

    private func recipe(_ layout: CallRecipe.Layout, offset: Double, container: Encoding.Container = .wav) -> CallRecipe
    {
        CallRecipe(
            legs: [.init(path: caller, role: "caller"), .init(path: agent, offset: offset, role: "agent")],
            layout: layout, outputDirectory: folder.appendingPathComponent("out-\(layout)-\(container)").path,
            encoding: Encoding(container: container), tags: Tags(callID: "c-1"), enhancement: .off)
    }

    @Test func stereoCallPutsCallerLeftAndAgentRightOnTheTimeline() throws {
        let report = try CallProcessor().run(recipe(.stereo, offset: 1.35))
        let output = try Fixtures.read(URL(fileURLWithPath: report.outputs[0].path))
        #expect(output.format == .stereo(16_000))
        #expect(abs(report.duration - 3.35) < 0.005)
        #expect(abs(output.duration - report.duration) < 0.0001)
        let left = output.channel(0)
        let right = output.channel(1)
        #expect(abs(try #require(Measure.onset(right, threshold: 0.05)) - 21_600) <= 16, "agent at 1.35 s")
        #expect(Measure.toneDB(left[8_000..<16_000], frequency: 440, sampleRate: 16_000) > -10)
        #expect(Measure.rmsDBFS(right[0..<21_000]) < -60, "the agent's channel is silent before the agent starts")
        #expect(Measure.toneDB(right[30_000..<40_000], frequency: 1_000, sampleRate: 16_000) > -10)
        #expect(Measure.toneDB(right[30_000..<40_000], frequency: 440, sampleRate: 16_000) < -50)
    }

    @Test func reportDescribesEveryLegAndOutput() throws {
        let report = try CallProcessor().run(recipe(.mono, offset: -0.5, container: .mp3))
        #expect(report.callID == "c-1")
        #expect(report.legs.map(\.offset) == [0.5, 0])
        #expect(report.legs.map(\.sampleRate) == [8_000, 48_000])
        #expect(report.legs.map(\.format) == ["WAV (Microsoft) / U-Law", "OGG (OGG Container format) / Opus"])
        #expect(report.legs.allSatisfy { $0.completeness == .whole })
        #expect(abs(report.legs[0].duration - 3) < 0.001 && abs(report.legs[1].duration - 2) < 0.03)
        #expect(abs(report.legs[0].peakDBFS - 20 * log10(0.4)) < 0.5)
        #expect(abs(report.legs[0].rmsDBFS - (20 * log10(0.4) - 3.01)) < 0.5)
        #expect(abs(report.duration - 3.5) < 0.005)
        let mp3 = URL(fileURLWithPath: report.outputs[0].path)
        #expect(mp3.lastPathComponent == "call.mp3")
        #expect(report.outputs[0].bytes == (try FileManager.default.attributesOfItem(atPath: mp3.path)[.size] as? Int))
        #expect(abs(try Fixtures.read(mp3).duration - report.duration) < 0.030)
        let json = mp3.deletingLastPathComponent().appendingPathComponent("call.json")
        #expect(try JSONDecoder().decode(CallReport.self, from: Data(contentsOf: json)) == report)
        #expect(try MP3Inspector(mp3).textFrames["TXXX:LEG_ROLES"] == "caller,agent")
    }

    @Test func splitChannelsMakesTwoLegsOfADualChannelRecording() throws {
        let dual = folder.appendingPathComponent("dual.wav")
        let left = Signals.sine(440, amplitude: 0.4, seconds: 1, format: .mono(8_000)).samples
        let right = Signals.sine(1_000, amplitude: 0.4, seconds: 1, format: .mono(8_000)).samples
        try Fixtures.write(
            AudioChunk(format: .stereo(8_000), samples: zip(left, right).flatMap { [$0, $1] }), to: dual, as: .mulaw)
        let report = try CallProcessor().run(
            CallRecipe(
                legs: [.init(path: dual.path, channel: 0), .init(path: dual.path, offset: 0.25, channel: 1)],
                layout: .stereo, outputDirectory: folder.appendingPathComponent("split").path,
                encoding: Encoding(container: .wav), enhancement: .off))
        let output = try Fixtures.read(URL(fileURLWithPath: report.outputs[0].path))
        #expect(abs(output.duration - 1.25) < 0.001)
        #expect(Measure.toneDB(output.channel(0)[4_000..<12_000], frequency: 1_000, sampleRate: 16_000) < -40)
        #expect(Measure.toneDB(output.channel(1)[8_000..<16_000], frequency: 1_000, sampleRate: 16_000) > -10)
    }

    @Test func aBadLegFailsTheCallBeforeAnyOutputExists() throws {
        var bad = recipe(.mono, offset: 0)
        bad.legs[1].path = folder.appendingPathComponent("missing.opus").path
        #expect(throws: AudioError(.fileNotFound, path: bad.legs[1].path, "no such file")) {
            try CallProcessor().run(bad)
        }
        #expect(!FileManager.default.fileExists(atPath: bad.outputDirectory))
    }

    @Test func aCallLongerThanItsLimitFailsWithoutOutputsAndOneThatFitsIsMade() throws {
        // The agent's 2 s start 2 s in: the call lasts 4 s.
        var long = recipe(.mono, offset: 2)
        long.maxDuration = 3.5
        let error = try #require(throws: AudioError.self) { try CallProcessor().run(long) }
        #expect(error.code == .invalidRecipe && error.isPermanent)
        #expect(error.message.contains("past the limit of 3 s for one call"), "\(error)")
        #expect(!FileManager.default.fileExists(atPath: long.outputDirectory + "/call.wav"))
        var fits = recipe(.mono, offset: 2)
        fits.maxDuration = 4.5
        #expect(abs(try CallProcessor().run(fits).duration - 4) < 0.05)
    }
}
