import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

@Suite struct LoudnessTests {
    let format = AudioFormat.mono(16_000)

    /// A talker with quiet line noise between turns, scaled to integrated loudness `lufs`.
    func leg(at lufs: Double, seed: UInt64) throws -> (samples: [Float], spurts: [Range<Int>]) {
        let talker = SpeechLike.talker(seconds: 10, sampleRate: 16_000, start: 0.5)
        let noise = SpeechLike.whiteNoise(count: talker.samples.count, dBFS: -60, seed: seed)
        let raw = zip(talker.samples, noise).map(+)
        let meter = try LoudnessMeter(format: format)
        _ = try run(meter, raw, format: format)
        let scale = Float(pow(10, (lufs - meter.integratedLoudness!) / 20))
        return (raw.map { $0 * scale }, talker.spurts)
    }

    func loudness(_ samples: [Float]) throws -> Double? {
        let meter = try LoudnessMeter(format: format)
        _ = try run(meter, samples, format: format, chunkFrames: 1_000)
        return meter.integratedLoudness
    }

    @Test(arguments: [-35.0, -15.0])
    func bringsALegToTheTarget(lufs: Double) throws {
        let (input, spurts) = try leg(at: lufs, seed: UInt64(-lufs))
        let before = try #require(try loudness(input))
        #expect(abs(before - lufs) < 0.1)
        let normalizer = LoudnessNormalizer(format: format, measuredLoudness: before, targetLoudness: -19)
        let output = try run(normalizer, input, format: format, chunkFrames: 160)
        let after = try #require(try loudness(output))
        #expect(abs(after - -19) <= 1)
        // One gain for the whole leg: the gaps between turns keep their distance below the speech.
        let gaps = Level.gaps(between: spurts, count: input.count, margin: 400)
        let contrastBefore = Level.dBFS(input, over: spurts) - Level.dBFS(input, over: gaps)
        let contrastAfter = Level.dBFS(output, over: spurts) - Level.dBFS(output, over: gaps)
        #expect(abs(contrastBefore - contrastAfter) < 0.01)
    }

    @Test func measuresASourceInOnePass() throws {
        let (input, _) = try leg(at: -27, seed: 3)
        let source = replay(input, format: format, chunkFrames: 333)
        let measured = try #require(try LoudnessMeter.measure(source))
        #expect(abs(measured - -27) < 0.1)
    }

    @Test func leavesASilentLegAlone() throws {
        let silence = [Float](repeating: 0, count: 16_000)
        #expect(try loudness(silence) == nil)
        let normalizer = LoudnessNormalizer(format: format, measuredLoudness: nil, targetLoudness: -19)
        #expect(normalizer.gainDB == 0)
    }

    @Test func sameLoudnessWhateverTheChunking() throws {
        let (input, _) = try leg(at: -23, seed: 5)
        let whole = try loudness(input)
        for chunkFrames in [1, 160, 4_801] {
            let meter = try LoudnessMeter(format: format)
            let passed = try run(meter, input, format: format, chunkFrames: chunkFrames)
            #expect(passed == input)
            #expect(abs(meter.integratedLoudness! - whole!) < 1e-9)
        }
        let difference = try ChunkBoundaryVerifier.maximumDifference(AudioChunk(format: format, samples: input)) {
            LoudnessNormalizer(format: format, measuredLoudness: -23, targetLoudness: -19)
        }
        #expect(difference == 0)
    }
}
