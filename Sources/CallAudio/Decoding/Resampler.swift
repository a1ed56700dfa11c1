import AudioCore
import CSoxr

/// Converts a stream to another sample rate with libsoxr (high quality, linear phase), so legs captured at
/// different rates (8 kHz G.711, 48 kHz Opus) meet on one timeline.
public final class Resampler: AudioProcessor {
    public let outputFormat: AudioFormat
    private let inputFormat: AudioFormat
    private let soxr: soxr_t
    private let ratio: Double

    public convenience init(from inputFormat: AudioFormat, toSampleRate rate: Int) throws(AudioError) {
        try self.init(from: inputFormat, actualRate: Double(inputFormat.sampleRate), toSampleRate: rate)
    }

    /// Resamples a stream labelled `inputFormat` whose samples were really taken at `actualRate` (a sender
    /// whose clock runs fast or slow), so that it keeps time with the capture clock.
    public init(from inputFormat: AudioFormat, actualRate: Double, toSampleRate rate: Int) throws(AudioError) {
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(UInt(SOXR_HQ), 0)
        var error: soxr_error_t?
        let soxr = soxr_create(
            actualRate, Double(rate), UInt32(inputFormat.channelCount), &error,
            &ioSpec, &qualitySpec, nil)
        guard let soxr, error == nil else {
            throw AudioError(
                .invalidRecipe,
                "cannot resample \(inputFormat) to \(rate) Hz (\(error.map { String(cString: $0) } ?? "soxr"))")
        }
        self.soxr = soxr
        self.inputFormat = inputFormat
        self.ratio = Double(rate) / actualRate
        self.outputFormat = AudioFormat(sampleRate: rate, channelCount: inputFormat.channelCount)
    }

    deinit { soxr_delete(soxr) }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        try run(chunk.samples, frames: chunk.frameCount)
    }

    public func flush() throws -> AudioChunk {
        try run(nil, frames: 0)
    }

    /// Feeds `frames` input frames (nil: the end of input) and collects every output frame soxr has ready.
    private func run(_ input: [Float]?, frames: Int) throws -> AudioChunk {
        let channels = inputFormat.channelCount
        let capacity = Int(Double(frames) * ratio) + 256
        var output: [Float] = []
        var buffer = [Float](repeating: 0, count: capacity * channels)
        var consumed = 0
        while true {
            var inputDone = 0
            var outputDone = 0
            let error = buffer.withUnsafeMutableBytes { out in
                if let input {
                    return input.withUnsafeBytes { inp in
                        soxr_process(
                            soxr, inp.baseAddress! + consumed * channels * 4, frames - consumed, &inputDone,
                            out.baseAddress, capacity, &outputDone)
                    }
                }
                return soxr_process(soxr, nil, 0, nil, out.baseAddress, capacity, &outputDone)
            }
            if let error { throw AudioError(.decodeFailed, "resampling failed (\(String(cString: error)))") }
            consumed += inputDone
            output.append(contentsOf: buffer[0..<(outputDone * channels)])
            let inputLeft = input != nil && consumed < frames
            if !inputLeft && outputDone < capacity { break }
        }
        return AudioChunk(format: outputFormat, samples: output)
    }
}

extension AudioSource {
    /// This source at `rate` Hz (itself when it already is).
    public func resampled(to rate: Int) throws(AudioError) -> any AudioSource {
        if format.sampleRate == rate { return self }
        return through(try Resampler(from: format, toSampleRate: rate))
    }
}
