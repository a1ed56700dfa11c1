import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct TempoChangerTests {
    let format = AudioFormat.mono(16_000)

    /// A sustained vowel-like tone: a 180 Hz fundamental with falling harmonics.
    func vowel(seconds: Double) -> [Float] {
        let fundamental = Signals.sine(180, amplitude: 0.3, seconds: seconds, format: format).samples
        let second = Signals.sine(360, amplitude: 0.15, seconds: seconds, format: format).samples
        let third = Signals.sine(540, amplitude: 0.08, seconds: seconds, format: format).samples
        return (0..<fundamental.count).map { fundamental[$0] + second[$0] + third[$0] }
    }

    /// The period of `samples`, in samples, as the lag of the highest autocorrelation peak between 2 and 20 ms.
    func dominantPeriod(_ samples: [Float]) -> Double {
        let window = Array(samples[(samples.count / 4)..<(samples.count / 4 + 4_000)])
        func correlation(_ lag: Int) -> Double {
            (0..<(window.count - lag)).reduce(0) { $0 + Double(window[$1]) * Double(window[$1 + lag]) }
        }
        let lags = 32...320
        let best = lags.max { correlation($0) < correlation($1) }!
        // A parabola through the peak and its neighbours places it between samples.
        let (a, b, c) = (correlation(best - 1), correlation(best), correlation(best + 1))
        return Double(best) + 0.5 * (a - c) / (a - 2 * b + c)
    }

    @Test(arguments: [0.25, 0.5, 0.6, 1.5, 1.9, 2, 3, 4])
    func changesDurationAndKeepsPitch(speed: Double) throws {
        let input = vowel(seconds: 6)
        let output = try run(TempoChanger(format: format, speed: speed), input, format: format, chunkFrames: 160)
        let expected = Double(input.count) / speed
        #expect(
            abs(Double(output.count) - expected) / expected <= 0.005, "\(output.count) frames, expected \(expected)")
        let inputPeriod = dominantPeriod(input)
        let outputPeriod = dominantPeriod(output)
        #expect(abs(outputPeriod - inputPeriod) / inputPeriod <= 0.02, "period \(inputPeriod) -> \(outputPeriod)")
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let talker = SpeechLike.talker(seconds: 3, sampleRate: 16_000).samples
        let noisy = zip(talker, SpeechLike.whiteNoise(count: talker.count, dBFS: -50, seed: 9)).map(+)
        let difference = try ChunkBoundaryVerifier.maximumDifference(AudioChunk(format: format, samples: noisy)) {
            try TempoChanger(format: format, speed: 1.5)
        }
        #expect(try #require(difference) < 1e-6)
    }

    @Test func rejectsSpeedsOutsideItsRange() {
        #expect(throws: AudioError.self) { try TempoChanger(format: format, speed: 0.2) }
        #expect(throws: AudioError.self) { try TempoChanger(format: format, speed: 4.5) }
    }
}
