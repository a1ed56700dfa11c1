import AudioCore

/// Keeps the mix's true peak (the peak between samples, as a player's converter reconstructs it) under the
/// ceiling, and leaves audio that stays under it bit for bit untouched.
///
/// libsoxr upsamples a copy of the stream four times, where inter-sample peaks become samples. Each frame goes
/// to the look-ahead `Limiter` together with its four upsampled neighbours as extra channels: the limiter
/// shares one gain across a frame's channels, so the gain it computes respects the true peak, and only the
/// original samples are kept. It is the last stage before the encoders, catching what per-leg loudness gains
/// pushed over full scale.
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
        let lanes = AudioFormat(
            sampleRate: format.sampleRate, channelCount: format.channelCount * (1 + Self.oversampling))
        limiter = Limiter(format: lanes, ceilingDBFS: ceilingDBTP)
        outputFormat = format
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        pendingFrames += chunk.samples
        pendingUpsampled += try upsampler.process(chunk).samples
        return original(try limiter.process(widened(upTo: nil)))
    }

    public func flush() throws -> AudioChunk {
        pendingUpsampled += try upsampler.flush().samples
        let last = try limiter.process(widened(upTo: pendingFrames.count / outputFormat.channelCount))
        return original(AudioChunk(format: last.format, samples: last.samples + (try limiter.flush()).samples))
    }

    /// The pending frames that have their upsampled neighbours (or the first `frames`, padding missing
    /// neighbours with silence), each followed by those neighbours, as one chunk for the limiter.
    private func widened(upTo frames: Int?) -> AudioChunk {
        let channels = outputFormat.channelCount
        let upsampledFrame = channels * Self.oversampling
        let ready = frames ?? min(pendingFrames.count / channels, pendingUpsampled.count / upsampledFrame)
        if pendingUpsampled.count < ready * upsampledFrame {
            pendingUpsampled += [Float](repeating: 0, count: ready * upsampledFrame - pendingUpsampled.count)
        }
        let width = channels + upsampledFrame
        let wide = [Float](unsafeUninitializedCapacity: ready * width) { buffer, count in
            pendingFrames.withUnsafeBufferPointer { frames in
                pendingUpsampled.withUnsafeBufferPointer { upsampled in
                    for frame in 0..<ready {
                        let target = frame * width
                        for channel in 0..<channels { buffer[target + channel] = frames[frame * channels + channel] }
                        for lane in 0..<upsampledFrame {
                            buffer[target + channels + lane] = upsampled[frame * upsampledFrame + lane]
                        }
                    }
                }
            }
            count = ready * width
        }
        pendingFrames.removeFirst(ready * channels)
        pendingUpsampled.removeFirst(min(ready * upsampledFrame, pendingUpsampled.count))
        return AudioChunk(format: limiter.outputFormat, samples: wide)
    }

    /// The original channels of the limiter's output.
    private func original(_ wide: AudioChunk) -> AudioChunk {
        let channels = outputFormat.channelCount
        let width = wide.format.channelCount
        let frames = wide.frameCount
        let samples = [Float](unsafeUninitializedCapacity: frames * channels) { buffer, count in
            wide.samples.withUnsafeBufferPointer { source in
                for frame in 0..<frames {
                    for channel in 0..<channels { buffer[frame * channels + channel] = source[frame * width + channel] }
                }
            }
            count = frames * channels
        }
        return AudioChunk(format: outputFormat, samples: samples)
    }
}
