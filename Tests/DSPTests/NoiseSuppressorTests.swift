import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct NoiseSuppressorTests {
    let format = AudioFormat.mono(16_000)

    func noisySpeech() -> (clean: [Float], noisy: [Float], spurts: [Range<Int>]) {
        let talker = SpeechLike.talker(seconds: 8, sampleRate: 16_000, start: 1)
        let noise = SpeechLike.whiteNoise(count: talker.samples.count, dBFS: -45, seed: 7)
        return (talker.samples, zip(talker.samples, noise).map(+), talker.spurts)
    }

    @Test func removesNoiseBetweenTurnsAndKeepsSpeech() throws {
        let (clean, noisy, spurts) = noisySpeech()
        let output = try run(NoiseSuppressor(format: format, level: .high), noisy, format: format)
        #expect(output.count == noisy.count)
        // Judge after the suppressor has learnt the noise (its first second), away from the spurts' edges.
        let gaps = Level.gaps(between: spurts, count: noisy.count, margin: 800, skip: 16_000)
        let noiseDrop = Level.dBFS(noisy, over: gaps) - Level.dBFS(output, over: gaps)
        let speechChange = Level.dBFS(output, over: spurts) - Level.dBFS(clean, over: spurts)
        print("noise drop \(noiseDrop) dB, speech change \(speechChange) dB")
        #expect(noiseDrop >= 15)
        #expect(abs(speechChange) <= 1)
    }

    @Test func countsFramesWithSpeech() throws {
        let (_, noisy, spurts) = noisySpeech()
        let suppressor = try NoiseSuppressor(format: format, level: .moderate)
        _ = try run(suppressor, noisy, format: format)
        let speechShare = Double(spurts.reduce(0) { $0 + $1.count }) / Double(noisy.count)
        print("vad share \(suppressor.speechShare), truth \(speechShare)")
        #expect(suppressor.frameCount == noisy.count / 160)
        #expect(abs(suppressor.speechShare - speechShare) < 0.15)
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let (_, noisy, _) = noisySpeech()
        let whole = try run(NoiseSuppressor(format: format, level: .moderate), noisy, format: format)
        for chunkFrames in [1, 37, 160] {
            let chunked = try run(NoiseSuppressor(format: format, level: .moderate), noisy, format: format, chunkFrames: chunkFrames)
            #expect(maxDifference(whole, chunked) == 0, "chunks of \(chunkFrames) frames")
        }
    }

    @Test func rejectsRatesWebRTCCannotProcess() {
        #expect(throws: AudioError.self) { try NoiseSuppressor(format: .mono(44_100), level: .moderate) }
        #expect(throws: AudioError.self) { try NoiseSuppressor(format: .stereo(16_000), level: .moderate) }
    }
}
