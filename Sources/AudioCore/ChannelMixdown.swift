/// Turns a multichannel stream into mono, either by picking one channel or by averaging them all.
///
/// Picking serves a dual-channel recording whose channels are two legs; averaging serves a leg that simply
/// arrived in stereo.
public final class ChannelMixdown: AudioProcessor {
    public enum Selection: Sendable, Equatable {
        case average
        case channel(Int)
    }

    private let selection: Selection
    public let outputFormat: AudioFormat

    public init(inputFormat: AudioFormat, selection: Selection) {
        if case .channel(let index) = selection {
            precondition(index < inputFormat.channelCount, "channel \(index) is not in a \(inputFormat) stream")
        }
        self.selection = selection
        self.outputFormat = .mono(inputFormat.sampleRate)
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        let channels = chunk.format.channelCount
        guard channels > 1 else { return AudioChunk(format: outputFormat, samples: chunk.samples) }
        switch selection {
        case .channel(let index):
            return AudioChunk(format: outputFormat, samples: chunk.channel(index))
        case .average:
            let scale = 1 / Float(channels)
            var mono = [Float](repeating: 0, count: chunk.frameCount)
            for frame in 0..<mono.count {
                var sum: Float = 0
                for channel in 0..<channels { sum += chunk.samples[frame * channels + channel] }
                mono[frame] = sum * scale
            }
            return AudioChunk(format: outputFormat, samples: mono)
        }
    }

    public func flush() throws -> AudioChunk { .empty(outputFormat) }
}
