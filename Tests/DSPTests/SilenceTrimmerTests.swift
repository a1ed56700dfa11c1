import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct SilenceTrimmerTests {
    static let format = AudioFormat.mono(16_000)

    /// `seconds` of sound or quiet, with `level` the sine's amplitude (0 is digital silence).
    static func piece(_ seconds: Double, level: Float) -> [Float] {
        level == 0
            ? [Float](repeating: 0, count: format.frames(forSeconds: seconds))
            : Signals.sine(300, amplitude: level, seconds: seconds, format: format).samples
    }

    @Test func cutsLeadingAndTrailingSilenceToTheKeptLengthAndKeepsPausesInside() throws {
        // 1.2 s quiet hiss, 0.5 s tone, a 1 s pause, 0.5 s tone, 2 s hiss: 0.25 + 0.5 + 1 + 0.5 + 0.25 s remain.
        let hiss = Signals.noise(amplitude: 0.001, seconds: 1.2, format: Self.format).samples
        let samples =
            hiss + Self.piece(0.5, level: 0.3) + Self.piece(1, level: 0) + Self.piece(0.5, level: 0.3)
            + Signals.noise(amplitude: 0.001, seconds: 2, format: Self.format, seed: 2).samples
        let output = try ReplaySource(AudioChunk(format: Self.format, samples: samples), framesPerChunk: 1234)
            .through(SilenceTrimmer(format: Self.format, keep: 0.25)).readAll()
        #expect(output.count == Self.format.frames(forSeconds: 2.5))
        // The first tone starts 250 ms in; the second tone is still 1 s after the first ends.
        let onset = try #require(Measure.onset(output, threshold: 0.1))
        #expect(abs(Self.format.seconds(forFrames: onset) - 0.25) < 0.001)
        #expect(Measure.rmsDBFS(output[16_000 * 3 / 4 + 800..<16_000 * 7 / 4 - 800]) < -60)
        #expect(Measure.rmsDBFS(output[16_000 * 7 / 4..<16_000 * 9 / 4]) > -15)
    }

    @Test func aStreamWithNoSoundKeepsOnlyTheKeptLength() throws {
        let output = try ReplaySource(
            AudioChunk(format: Self.format, samples: Self.piece(3, level: 0)), framesPerChunk: 4096
        )
        .through(SilenceTrimmer(format: Self.format, keep: 0.25)).readAll()
        #expect(output.isEmpty)
    }

    @Test func outputDoesNotDependOnChunking() throws {
        let samples = Self.piece(0.3, level: 0) + Self.piece(0.2, level: 0.2) + Self.piece(0.4, level: 0)
        let difference = try ChunkBoundaryVerifier.maximumDifference(AudioChunk(format: Self.format, samples: samples))
        {
            SilenceTrimmer(format: Self.format, keep: 0.1)
        }
        #expect(try #require(difference) == 0)
    }
}
