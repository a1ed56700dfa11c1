import AudioCore

/// Keeps the mix's true peak (the peak between samples, as a player's converter reconstructs it) under the
/// ceiling: the look-ahead `Limiter` works on the stream upsampled four times by libsoxr, where inter-sample
/// peaks become samples, and the result is brought back to the stream's rate.
///
/// It is the last stage before the encoders, catching what per-leg loudness gains pushed over full scale.
public final class TruePeakLimiter: AudioProcessor {
    public let outputFormat: AudioFormat
    private let stages: [any AudioProcessor]

    /// - Parameter ceilingDBTP: the highest true peak let through, in dBTP.
    public init(format: AudioFormat, ceilingDBTP: Double = -1) throws(AudioError) {
        let oversampled = AudioFormat(sampleRate: format.sampleRate * 4, channelCount: format.channelCount)
        stages = [
            try Resampler(from: format, toSampleRate: oversampled.sampleRate),
            Limiter(format: oversampled, ceilingDBFS: ceilingDBTP),
            try Resampler(from: oversampled, toSampleRate: format.sampleRate),
        ]
        outputFormat = format
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        try stages.reduce(chunk) { try $1.process($0) }
    }

    public func flush() throws -> AudioChunk {
        // Each stage's tail still passes through the stages after it.
        var output: [Float] = []
        for (index, stage) in stages.enumerated() {
            let tail = try stages[(index + 1)...].reduce(try stage.flush()) { try $1.process($0) }
            output += tail.samples
        }
        return AudioChunk(format: outputFormat, samples: output)
    }
}
