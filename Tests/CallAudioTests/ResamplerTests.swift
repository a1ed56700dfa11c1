import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct ResamplerTests {
    @Test(arguments: [(8_000, 16_000), (48_000, 16_000), (44_100, 16_000), (16_000, 48_000)])
    func keepsPitchLevelAndDuration(from: Int, to: Int) throws {
        let input = Signals.sine(1_000, amplitude: 0.5, seconds: 2, format: .mono(from))
        let output = try ReplaySource(input, framesPerChunk: 4096).resampled(to: to).readAll()
        #expect(abs(output.count - 2 * to) <= 1)
        let middle = output[to / 2..<(3 * to / 2)]
        #expect(abs(Measure.dominantFrequency(middle, sampleRate: to, from: 950, to: 1_050) - 1_000) <= 1)
        #expect(abs(Measure.rmsDBFS(middle) - Measure.rmsDBFS(input.samples)) < 0.1)
    }

    @Test func outputDoesNotDependOnChunking() throws {
        let input = Signals.speechLike(seconds: 0.5, format: .mono(8_000))
        let difference = try ChunkBoundaryVerifier.maximumDifference(input) {
            try Resampler(from: input.format, toSampleRate: 16_000)
        }
        #expect(try #require(difference) < 1e-5)
    }
}
