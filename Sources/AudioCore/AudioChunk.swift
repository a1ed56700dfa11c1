/// A run of interleaved Float32 frames in one format: the unit that flows between stages.
///
/// Chunks are small (tens of milliseconds to a second); a stream is a sequence of them, so memory is bounded
/// by the chunk size and never by the length of a recording.
public struct AudioChunk: Sendable, Equatable {
    public let format: AudioFormat
    /// Interleaved samples: frame `f`, channel `c` is at `samples[f * channelCount + c]`.
    public var samples: [Float]

    public init(format: AudioFormat, samples: [Float]) {
        precondition(samples.count % format.channelCount == 0, "a chunk holds whole frames")
        self.format = format
        self.samples = samples
    }

    /// A chunk with no frames, for stages that have nothing to emit yet.
    public static func empty(_ format: AudioFormat) -> AudioChunk { AudioChunk(format: format, samples: []) }

    /// A chunk of `frames` frames of digital silence.
    public static func silence(_ format: AudioFormat, frames: Int) -> AudioChunk {
        AudioChunk(format: format, samples: [Float](repeating: 0, count: frames * format.channelCount))
    }

    public var frameCount: Int { samples.count / format.channelCount }
    public var isEmpty: Bool { samples.isEmpty }
    public var duration: Double { format.seconds(forFrames: frameCount) }

    /// The samples of one channel, de-interleaved.
    public func channel(_ index: Int) -> [Float] {
        precondition(index < format.channelCount, "channel \(index) out of range")
        if format.channelCount == 1 { return samples }
        return stride(from: index, to: samples.count, by: format.channelCount).map { samples[$0] }
    }

    /// Frames `range` of this chunk as a new chunk.
    public func frames(_ range: Range<Int>) -> AudioChunk {
        let c = format.channelCount
        return AudioChunk(format: format, samples: Array(samples[(range.lowerBound * c)..<(range.upperBound * c)]))
    }
}
