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
        #expect(noiseDrop >= 15, "noise reduced by \(noiseDrop) dB")
        #expect(abs(speechChange) <= 1, "speech changed by \(speechChange) dB")
    }

    @Test func countsFramesWithSpeech() throws {
        let (_, noisy, spurts) = noisySpeech()
        let suppressor = try NoiseSuppressor(format: format, level: .moderate)
        _ = try run(suppressor, noisy, format: format)
        let speechShare = Double(spurts.reduce(0) { $0 + $1.count }) / Double(noisy.count)
        #expect(abs(suppressor.frameCount - noisy.count / 160) <= 1)
        #expect(abs(suppressor.speechShare - speechShare) < 0.15)
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let noisy = AudioChunk(format: format, samples: Array(noisySpeech().noisy.prefix(48_000)))
        let difference = try ChunkBoundaryVerifier.maximumDifference(noisy) {
            try NoiseSuppressor(format: format, level: .moderate)
        }
        #expect(difference == 0)
    }

    @Test func rejectsRatesWebRTCCannotProcess() {
        #expect(throws: AudioError.self) { try NoiseSuppressor(format: .mono(44_100), level: .moderate) }
        #expect(throws: AudioError.self) { try NoiseSuppressor(format: .stereo(16_000), level: .moderate) }
    }
}

/// The suppressor keeps a leg in step with the other legs: its own delay is taken out at every rate. The
/// echo canceller adds a little delay of its own (webrtc buffers in 4 ms blocks), which stays under 5 ms.
@Suite struct NoiseSuppressorTimingTests {
    /// The lag (in samples, 0...80) at which `output` best matches `input`, 40 meaning none.
    func lag(of output: [Float], behind input: [Float]) -> Int {
        func correlation(_ lag: Int) -> Double {
            var sum = 0.0
            for n in max(0, -lag)..<min(input.count, output.count - lag) {
                sum += Double(input[n]) * Double(output[n + lag])
            }
            return sum
        }
        return (0...80).max { correlation($0) < correlation($1) }!
    }

    /// The delay of `suppressor`'s output behind its input, in samples.
    func delay(of suppressor: NoiseSuppressor, rate: Int) throws -> Int {
        // Bursts of loud broadband sound over a quiet floor: the suppressor keeps the bursts, and unlike a
        // voiced sound they correlate with themselves at one lag only.
        let loud = SpeechLike.whiteNoise(count: 3 * rate, dBFS: -15, seed: 2)
        let floor = SpeechLike.whiteNoise(count: 3 * rate, dBFS: -50, seed: 3)
        let input = (0..<loud.count).map { ($0 / (rate / 5)) % 2 == 0 ? loud[$0] : floor[$0] }
        let output = try run(suppressor, input, format: .mono(rate), chunkFrames: 1_000)
        #expect(output.count == input.count)
        // Correlate a stretch after the suppressor has settled.
        let window = Array(input[rate..<(rate + rate / 2)])
        let shifted = Array(output[(rate - 40)..<(rate + rate / 2 + 40)])
        return lag(of: shifted, behind: window) - 40
    }

    @Test(arguments: [8_000, 16_000, 32_000, 48_000])
    func suppressorAddsNoDelay(rate: Int) throws {
        #expect(abs(try delay(of: NoiseSuppressor(format: .mono(rate), level: .moderate), rate: rate)) <= 1)
    }

    @Test(arguments: [8_000, 16_000, 32_000, 48_000])
    func echoCancellerAddsLessThan5Milliseconds(rate: Int) throws {
        let reference = EchoReference(replay([], format: .mono(rate), chunkFrames: 1), lead: 0)
        let canceller = try NoiseSuppressor(format: .mono(rate), level: .moderate, echoReference: reference)
        let delay = try delay(of: canceller, rate: rate)
        #expect(delay >= 0 && delay <= rate / 200, "\(delay) samples at \(rate) Hz")
    }
}
