import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// Damaged float samples (NaN, infinities, values near Float.greatestFiniteMagnitude, integer PCM relabelled as
/// float) are repaired at the decoder and counted; the call is processed and nothing traps.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class NonFiniteSampleTests {
    let folder: URL

    init() throws { folder = try Fixtures.scratchFolder() }

    deinit { Fixtures.removeScratchFolder(folder) }

    /// One second of a -12 dBFS sine at 8 kHz as float WAV, with `damage` written over its first samples.
    private func floatWAV(_ name: String, damage: [Float]) throws -> String {
        var sine = Signals.sine(440, amplitude: 0.25, seconds: 1, format: .mono(8_000))
        sine.samples.replaceSubrange(100..<100 + damage.count, with: damage)
        let url = folder.appendingPathComponent(name)
        try Fixtures.write(sine, to: url, as: .float32)
        return url.path
    }

    @Test(arguments: [
        ("nan", [Float.nan]), ("inf", [Float.infinity]), ("minus-inf", [-Float.infinity]),
        ("huge", [3e38]), ("all", [Float.nan, .infinity, -.infinity, 3e38, -3e38, 1.5]),
    ])
    func damagedFloatSamplesAreRepairedAndCounted(name: String, damage: [Float]) throws {
        let path = try floatWAV("\(name).wav", damage: damage)
        let decoder = try FileDecoder(path: path)
        let decoded = try decoder.readAll()
        #expect(decoded.allSatisfy { $0.isFinite && abs($0) <= 1 })
        #expect(decoder.repairedSamples == damage.count)

        let output = folder.appendingPathComponent("out-\(name)")
        let report = try CallProcessor().run(
            CallRecipe(
                legs: [.init(path: path)], outputDirectory: output.path,
                enhancement: Enhancement(speeds: [1.5])))
        #expect(report.legs[0].repairedSamples == damage.count)
        #expect(abs(report.duration - 1) < 0.01)
        let mp3 = try Fixtures.read(output.appendingPathComponent("call.mp3"))
        #expect(mp3.samples.allSatisfy { $0.isFinite })
        #expect(abs(mp3.duration - 1) < 0.08)
    }

    @Test func integerPCMRelabelledAsFloatIsDecodedWithoutTrapping() throws {
        let url = folder.appendingPathComponent("relabelled.wav")
        try Fixtures.write(Signals.noise(seconds: 1, format: .mono(8_000)), to: url, as: .pcm32)
        var bytes = [UInt8](try Data(contentsOf: url))
        #expect(bytes[20] == 1)  // WAVE_FORMAT_PCM
        bytes[20] = 3  // WAVE_FORMAT_IEEE_FLOAT
        try Data(bytes).write(to: url)
        let report = try CallProcessor().run(
            CallRecipe(
                legs: [.init(path: url.path)], outputDirectory: folder.appendingPathComponent("out").path,
                enhancement: Enhancement(speeds: [1.5])))
        #expect(report.legs[0].repairedSamples ?? 0 > 0)
        #expect(report.legs[0].peakDBFS <= 0)
    }

    @Test func aHealthyFileReportsNoRepairs() throws {
        let path = try floatWAV("healthy.wav", damage: [])
        let report = try CallProcessor().run(
            CallRecipe(legs: [.init(path: path)], outputDirectory: folder.appendingPathComponent("ok").path))
        #expect(report.legs[0].repairedSamples == 0)
    }
}
