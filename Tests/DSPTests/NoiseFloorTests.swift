import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// A leg's noise floor (`NoiseFloorMeter`, whose chunking and silence `MixStageTests` hold), read from the file as a
/// phone system recorded it.
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
            #expect(try Self.leg(noise: 0, in: folder).noiseFloor(sampleRate: 16_000) == -120)
            // Uniform noise of amplitude 0.1 has an RMS of 0.1 / sqrt(3): -24.8 dBFS.
            let noisy = try Self.leg(noise: 0.1, in: folder).noiseFloor(sampleRate: 16_000)
            #expect(abs(noisy - -24.8) <= 1.5, "\(noisy)")
            let faint = try Self.leg(noise: 0.002, in: folder).noiseFloor(sampleRate: 16_000)
            #expect(faint < -55 && faint > -75, "\(faint)")
        }
    }
}
