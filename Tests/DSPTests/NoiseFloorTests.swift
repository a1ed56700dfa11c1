import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// A leg's noise floor: the level of its quietest tenth, read from the file as a phone system recorded it.
@Suite struct NoiseFloorTests {
    /// A talker (speech-like bursts with pauses) at 8 kHz, with uniform noise of `noise` amplitude added.
    static func leg(noise: Float, in folder: URL) throws -> CallRecipe.Leg {
        let format = AudioFormat.mono(8_000)
        let talker = SpeechLike.talker(seconds: 20, sampleRate: 8_000, gap: 1.5, start: 0.8).samples
        let hiss = Signals.noise(amplitude: noise, seconds: 20, format: format, seed: 7).samples
        let url = folder.appendingPathComponent("leg-\(noise).wav")
        try Fixtures.write(AudioChunk(format: format, samples: zip(talker, hiss).map(+)), to: url, as: .mulaw)
        return CallRecipe.Leg(path: url.path, role: "caller")
    }

    @Test func aCleanLegReadsAsSilenceAndANoisyOneAtItsNoiseLevel() throws {
        try withScratchFolder { folder throws in
            #expect(try Self.leg(noise: 0, in: folder).noiseFloor(sampleRate: 16_000) == NoiseFloor.silence)
            // Uniform noise of amplitude 0.1 has an RMS of 0.1 / sqrt(3): -24.8 dBFS.
            let noisy = try Self.leg(noise: 0.1, in: folder).noiseFloor(sampleRate: 16_000)
            #expect(abs(noisy - -24.8) <= 1.5, "\(noisy)")
            let faint = try Self.leg(noise: 0.002, in: folder).noiseFloor(sampleRate: 16_000)
            #expect(faint < -55 && faint > -75, "\(faint)")
        }
    }

    @Test func theFloorIsTheQuietestTenthWhateverTheChunking() {
        let format = AudioFormat.mono(100)  // 1-sample frames
        var whole = NoiseFloor(format: format)
        var pieces = NoiseFloor(format: format)
        // 90 frames at -20 dBFS (amplitude 0.1), 10 at -60 dBFS (0.001).
        let samples = [Float](repeating: 0.1, count: 90) + [Float](repeating: 0.001, count: 10)
        whole.add(samples)
        for start in stride(from: 0, to: samples.count, by: 7) {
            pieces.add(Array(samples[start..<min(samples.count, start + 7)]))
        }
        #expect(whole.level() == -60)
        #expect(pieces.level() == whole.level())
        #expect(whole.level(atPercentile: 50) == -20)
        #expect(NoiseFloor(format: format).level() == NoiseFloor.silence)
    }
}
