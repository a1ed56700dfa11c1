import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

@Suite struct TruePeakLimiterTests {
    let format = AudioFormat.mono(16_000)

    /// A tone at a quarter of the sample rate, sampled 45 degrees off its crests: every sample is at 0.707 of
    /// the true peak, so a sample-peak limiter would let +3 dB between samples through.
    func interSamplePeaks(truePeak: Float) -> [Float] {
        (0..<16_000).map { (n: Int) -> Float in truePeak * Float(sin(Double.pi / 2 * Double(n) + Double.pi / 4)) }
    }

    func truePeak(_ samples: [Float]) throws -> Double {
        let meter = try LoudnessMeter(format: format, measuresTruePeak: true)
        _ = try run(meter, samples, format: format)
        return try #require(meter.truePeakDBTP)
    }

    @Test func keepsTheTruePeakUnderTheCeiling() throws {
        let input = interSamplePeaks(truePeak: 1.2)
        #expect(try truePeak(input) > 1.5)
        let output = try run(TruePeakLimiter(format: format), input, format: format, chunkFrames: 160)
        #expect(output.count == input.count)
        let peak = try truePeak(Array(output.dropFirst(1_600)))
        #expect(peak <= -0.8, "true peak \(peak) dBTP")
    }

    @Test func leavesQuietAudioAlone() throws {
        let input = Signals.sine(440, amplitude: 0.3, seconds: 1, format: format).samples
        let output = try run(TruePeakLimiter(format: format), input, format: format, chunkFrames: 160)
        #expect(output.count == input.count)
        #expect(output == input)
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let input = AudioChunk(format: format, samples: Array(interSamplePeaks(truePeak: 1.2).prefix(4_000)))
        let difference = try ChunkBoundaryVerifier.maximumDifference(input) { try TruePeakLimiter(format: format) }
        #expect(try #require(difference) < 1e-4)
    }
}

@Suite struct NoiseFloorMeterTests {
    @Test func findsTheLineNoiseBetweenTurns() throws {
        let talker = SpeechLike.talker(seconds: 6, sampleRate: 16_000)
        let noisy = zip(talker.samples, SpeechLike.whiteNoise(count: talker.samples.count, dBFS: -50, seed: 4)).map(+)
        let meter = NoiseFloorMeter(format: .mono(16_000))
        let passed = try run(meter, noisy, format: .mono(16_000), chunkFrames: 77)
        #expect(passed == noisy)
        #expect(abs(meter.noiseFloorDBFS - -50) <= 1.5, "noise floor \(meter.noiseFloorDBFS)")
        for chunkFrames in [1, 160, noisy.count] {
            let chunked = NoiseFloorMeter(format: .mono(16_000))
            _ = try run(chunked, noisy, format: .mono(16_000), chunkFrames: chunkFrames)
            #expect(chunked.noiseFloorDBFS == meter.noiseFloorDBFS, "chunks of \(chunkFrames) frames")
        }
    }

    @Test func reportsSilenceAsTheBottomOfTheScale() throws {
        let meter = NoiseFloorMeter(format: .mono(8_000))
        _ = try run(meter, [Float](repeating: 0, count: 800), format: .mono(8_000))
        #expect(meter.noiseFloorDBFS == -120)
    }
}

@Suite struct PrefetchingSourceTests {
    struct Failure: Error {}

    /// A source that fails after a given number of chunks.
    final class FailingSource: AudioSource {
        let format = AudioFormat.mono(8_000)
        var left: Int
        init(after chunks: Int) { left = chunks }
        func read() throws -> AudioChunk? {
            guard left > 0 else { throw Failure() }
            left -= 1
            return .silence(format, frames: 10)
        }
    }

    @Test func handsOverEveryChunkInOrder() throws {
        let samples = (0..<100_000).map { Float($0) / 100_000 }
        let source = replay(samples, format: .mono(8_000), chunkFrames: 1_000).prefetched(capacity: 2)
        var received: [Float] = []
        while let chunk = try source.read() { received += chunk.samples }
        #expect(received == samples)
        #expect(try source.read() == nil)
    }

    @Test func passesOnTheUpstreamsError() throws {
        let source = FailingSource(after: 3).prefetched()
        for _ in 0..<3 { #expect(try source.read()?.frameCount == 10) }
        #expect(throws: Failure.self) { try source.read() }
    }

    /// An endless source that signals when it is released.
    final class EndlessSource: AudioSource {
        let format = AudioFormat.mono(8_000)
        let released: DispatchSemaphore
        init(released: DispatchSemaphore) { self.released = released }
        deinit { released.signal() }
        func read() throws -> AudioChunk? { .silence(format, frames: 100) }
    }

    @Test func stopsWhenReleasedEarly() throws {
        let released = DispatchSemaphore(value: 0)
        do {
            let source = EndlessSource(released: released).prefetched(capacity: 1)
            _ = try source.read()
        }
        // The thread ends after the chunk it was waiting to hand over and releases the endless source;
        // without the stop it would run forever and the wait would time out.
        #expect(released.wait(timeout: .now() + 10) == .success)
    }
}

@Suite struct BackgroundSinkTests {
    struct Failure: Error {}

    /// A sink that fails on its n-th write.
    final class FailingSink: AudioSink {
        var writesLeft: Int
        init(failingOnWrite n: Int) { writesLeft = n }
        func write(_ chunk: AudioChunk) throws {
            writesLeft -= 1
            if writesLeft == 0 { throw Failure() }
        }
        func finish() throws {}
    }

    @Test func deliversEveryChunkInOrderThenFinishes() throws {
        let collected = CollectingSink()
        let sink = BackgroundSink(collected, capacity: 2)
        let samples = (0..<50_000).map { Float($0) }
        for chunk in AudioChunk(format: .mono(8_000), samples: samples).split(framesPerChunk: 999) {
            try sink.write(chunk)
        }
        try sink.finish()
        // `finish` returned, so the thread is done with the collecting sink.
        #expect(collected.finished)
        #expect(collected.samples == samples)
    }

    @Test func passesOnTheDownstreamsError() throws {
        let sink = BackgroundSink(FailingSink(failingOnWrite: 3), capacity: 1)
        #expect(throws: Failure.self) {
            for _ in 0..<100 { try sink.write(.silence(.mono(8_000), frames: 10)) }
            try sink.finish()
        }
    }
}
