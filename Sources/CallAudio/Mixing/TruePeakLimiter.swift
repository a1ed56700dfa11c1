import AudioCore

/// Keeps the mix's true peak (the peak between samples, as a player's converter reconstructs it) under the
/// ceiling, and leaves audio that stays under it bit for bit untouched.
///
/// libsoxr upsamples a copy of the stream four times, where inter-sample peaks become samples. The look-ahead
/// `Limiter` takes each frame with the largest of its four upsampled neighbours as a side-chain peak: the gain it
/// computes respects the true peak, and it is applied to the original samples. It is the last stage before the
/// encoders, catching what per-leg loudness gains pushed over full scale.
public final class TruePeakLimiter: AudioProcessor {
    /// Upsampled values per original sample.
    private static let oversampling = 4

    public let outputFormat: AudioFormat
    private let upsampler: Resampler
    private let limiter: Limiter
    private var pendingFrames: [Float] = []
    private var pendingUpsampled: [Float] = []

    /// - Parameter ceilingDBTP: the highest true peak let through, in dBTP.
    public init(format: AudioFormat, ceilingDBTP: Double = -1) throws(AudioError) {
        upsampler = try Resampler(from: format, toSampleRate: format.sampleRate * Self.oversampling)
        limiter = Limiter(format: format, ceilingDBFS: ceilingDBTP)
        outputFormat = format
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        pendingFrames += chunk.samples
        pendingUpsampled += try upsampler.process(chunk).samples
        return limited(upTo: nil)
    }

    public func flush() throws -> AudioChunk {
        pendingUpsampled += try upsampler.flush().samples
        let last = limited(upTo: pendingFrames.count / outputFormat.channelCount)
        return AudioChunk(format: outputFormat, samples: last.samples + (try limiter.flush()).samples)
    }

    /// The pending frames that have their upsampled neighbours (or the first `frames`, padding missing
    /// neighbours with silence), through the limiter with the largest of those neighbours as side-chain peaks.
    private func limited(upTo frames: Int?) -> AudioChunk {
        let channels = outputFormat.channelCount
        let upsampledFrame = channels * Self.oversampling
        let ready = frames ?? min(pendingFrames.count / channels, pendingUpsampled.count / upsampledFrame)
        if pendingUpsampled.count < ready * upsampledFrame {
            pendingUpsampled += [Float](repeating: 0, count: ready * upsampledFrame - pendingUpsampled.count)
        }
        let peaks = [Float](unsafeUninitializedCapacity: ready) { buffer, count in
            pendingUpsampled.withUnsafeBufferPointer { upsampled in
                for frame in 0..<ready {
                    var peak: Float = 0
                    for lane in 0..<upsampledFrame { peak = max(peak, abs(upsampled[frame * upsampledFrame + lane])) }
                    buffer[frame] = peak
                }
            }
            count = ready
        }
        let chunk = AudioChunk(format: outputFormat, samples: Array(pendingFrames[..<(ready * channels)]))
        pendingFrames.removeFirst(ready * channels)
        pendingUpsampled.removeFirst(min(ready * upsampledFrame, pendingUpsampled.count))
        return limiter.process(chunk, sideChainPeaks: peaks)
    }
}
