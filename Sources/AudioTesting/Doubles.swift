import AudioCore

/// A source that replays prepared chunks: the test double for the pull side.
public final class ReplaySource: AudioSource {
    public let format: AudioFormat
    private var chunks: [AudioChunk]

    public init(_ chunks: [AudioChunk], format: AudioFormat) {
        self.chunks = chunks
        self.format = format
    }

    /// Replays `audio` cut into chunks of `framesPerChunk` frames.
    public convenience init(_ audio: AudioChunk, framesPerChunk: Int) {
        self.init(audio.split(framesPerChunk: framesPerChunk), format: audio.format)
    }

    public func read() throws -> AudioChunk? { chunks.isEmpty ? nil : chunks.removeFirst() }
}

/// A sink that keeps everything written to it: the test double for the push side.
public final class CollectingSink: AudioSink {
    public private(set) var samples: [Float] = []
    public private(set) var finished = false

    public init() {}

    public func write(_ chunk: AudioChunk) throws { samples += chunk.samples }
    public func finish() throws { finished = true }
}

extension AudioChunk {
    /// This chunk cut into consecutive chunks of at most `framesPerChunk` frames.
    public func split(framesPerChunk: Int) -> [AudioChunk] {
        stride(from: 0, to: frameCount, by: framesPerChunk).map {
            frames($0..<Swift.min($0 + framesPerChunk, frameCount))
        }
    }
}

extension AudioSource {
    /// Every sample this source produces, read to the end.
    public func readAll() throws -> [Float] {
        var samples: [Float] = []
        while let chunk = try read() { samples += chunk.samples }
        return samples
    }
}

/// Checks that a stage's output does not depend on how its input is cut into chunks, as SwiftNIO's
/// `ByteToMessageDecoderVerifier` does for decoders: the same audio fed whole, in 10 ms frames, and in odd
/// small pieces must give the same samples.
public enum ChunkBoundaryVerifier {
    /// Runs `audio` through a fresh processor from `makeProcessor` for each cutting and returns the largest
    /// absolute difference between any cutting's output and the whole-input output (nil if lengths differ).
    public static func maximumDifference(
        _ audio: AudioChunk, makeProcessor: () throws -> any AudioProcessor
    ) throws -> Float? {
        let tenMilliseconds = max(1, audio.format.sampleRate / 100)
        let cuttings = [audio.frameCount, tenMilliseconds, 1, 7, 333]
        let outputs = try cuttings.map { framesPerChunk in
            let processor = try makeProcessor()
            var samples: [Float] = []
            for chunk in audio.split(framesPerChunk: framesPerChunk) { samples += try processor.process(chunk).samples }
            return samples + (try processor.flush().samples)
        }
        var worst: Float = 0
        for output in outputs.dropFirst() {
            guard output.count == outputs[0].count else { return nil }
            for (a, b) in zip(output, outputs[0]) { worst = max(worst, abs(a - b)) }
        }
        return worst
    }
}
