import AudioCore
import AudioTesting
import Testing

@Suite struct StreamingCoreTests {
    let stereo = AudioFormat.stereo(8_000)

    @Test func channelMixdownPicksOrAveragesChannels() throws {
        let chunk = AudioChunk(format: stereo, samples: [0.2, 0.6, -0.4, 0.0])
        let left = try ChannelMixdown(inputFormat: stereo, selection: .channel(0)).process(chunk)
        let right = try ChannelMixdown(inputFormat: stereo, selection: .channel(1)).process(chunk)
        let average = try ChannelMixdown(inputFormat: stereo, selection: .average).process(chunk)
        #expect(left.samples == [0.2, -0.4])
        #expect(right.samples == [0.6, 0.0])
        #expect(average.samples.map { ($0 * 100).rounded() } == [40, -20])
        #expect(average.format == .mono(8_000))
    }

    @Test func processedSourceFlushesHeldBackAudioAtTheEnd() throws {
        let audio = Signals.sine(440, seconds: 0.1, format: .mono(8_000))
        let delayed = ReplaySource(audio, framesPerChunk: 64).through(OneFrameDelay(format: audio.format))
        let output = try delayed.readAll()
        #expect(output.count == audio.samples.count + 1)
        #expect(output.first == 0)
        #expect(Array(output.dropFirst()) == audio.samples)
    }

    @Test func teeGivesEverySinkTheWholeStream() throws {
        let audio = Signals.sine(1_000, seconds: 0.2, format: stereo)
        let first = CollectingSink()
        let second = CollectingSink()
        let frames = try ReplaySource(audio, framesPerChunk: 100).drain(into: Tee([first, second]))
        #expect(frames == audio.frameCount)
        #expect(first.samples == audio.samples && second.samples == audio.samples)
        #expect(first.finished && second.finished)
    }

    @Test func processedSinkRunsTheStageBeforeTheSink() throws {
        let audio = Signals.sine(440, seconds: 0.05, format: .mono(8_000))
        let collected = CollectingSink()
        try ReplaySource(audio, framesPerChunk: 10).drain(into: collected.after(OneFrameDelay(format: audio.format)))
        #expect(collected.samples == [0] + audio.samples)
    }
}

/// A minimal stage that holds one frame back, to exercise flushing.
private final class OneFrameDelay: AudioProcessor {
    let outputFormat: AudioFormat
    private var held: Float = 0

    init(format: AudioFormat) { outputFormat = format }

    func process(_ chunk: AudioChunk) throws -> AudioChunk {
        var output: [Float] = []
        for sample in chunk.samples {
            output.append(held)
            held = sample
        }
        return AudioChunk(format: outputFormat, samples: output)
    }

    func flush() throws -> AudioChunk { AudioChunk(format: outputFormat, samples: [held]) }
}
