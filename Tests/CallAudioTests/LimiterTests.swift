import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct LimiterTests {
    let format = AudioFormat.mono(16_000)

    private func limited(_ audio: AudioChunk) throws -> [Float] {
        try ReplaySource(audio, framesPerChunk: 1000).through(Limiter(format: audio.format)).readAll()
    }

    @Test func twoFullScaleLegsSummedNeverExceedTheCeiling() throws {
        let leg = Signals.sine(440, amplitude: 1, seconds: 2, format: format)
        let mixed = try Mixer(
            legs: [
                .init(source: ReplaySource(leg, framesPerChunk: 512), startFrame: 0),
                .init(source: ReplaySource(leg, framesPerChunk: 300), startFrame: 0),
            ],
            channelCount: 1
        ).through(Limiter(format: format)).readAll()
        #expect(mixed.count == leg.frameCount)
        #expect(Measure.peakDBFS(mixed) <= -0.1)
        #expect(Measure.peakDBFS(mixed) > -1.5)
    }

    @Test func aQuietLegKeepsItsLevelExactly() throws {
        let quiet = Signals.speechLike(seconds: 2, format: format)
        let output = try limited(AudioChunk(format: format, samples: quiet.samples.map { $0 * 0.1 }))
        #expect(output == quiet.samples.map { $0 * 0.1 })
    }

    @Test func aLoudBurstIsLimitedWithoutClippingItsNeighbours() throws {
        var samples = Signals.sine(300, amplitude: 0.3, seconds: 2, format: format).samples
        for index in 8_000..<8_400 { samples[index] *= 4 }  // a 25 ms burst at 1.2 full scale
        let output = try limited(AudioChunk(format: format, samples: samples))
        #expect(Measure.peakDBFS(output) <= -0.99)
        #expect(abs(Measure.rmsDBFS(output[0..<7_000]) - Measure.rmsDBFS(samples[0..<7_000])) < 0.01)
        #expect(abs(Measure.rmsDBFS(output[24_000...]) - Measure.rmsDBFS(samples[24_000...])) < 0.01)
    }

    @Test func outputDoesNotDependOnChunking() throws {
        let loud = AudioChunk(
            format: .stereo(8_000),
            samples: Signals.speechLike(seconds: 0.5, format: .stereo(8_000)).samples.map { $0 * 3 })
        let difference = try ChunkBoundaryVerifier.maximumDifference(loud) { Limiter(format: loud.format) }
        #expect(try #require(difference) < 1e-6)
    }

    @Test func inputShorterThanTheLookAheadComesOutWhole() throws {
        let output = try limited(Signals.sine(440, amplitude: 0.2, seconds: 0.001, format: format))
        #expect(output.count == 16)
    }
}
