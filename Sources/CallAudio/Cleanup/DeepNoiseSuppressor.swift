import AudioCore

/// Removes noise from one mono leg with DeepFilterNet3 (`--denoise deep`): a neural suppressor that cleans
/// speech better than webrtc's and costs it less intelligibility (benchmarks/RESULTS.md, "DeepFilterNet3"), at
/// some 50 to 100 times webrtc's CPU cost.
///
/// The model runs at 48 kHz only, so the leg is resampled (soxr) to 48 kHz, denoised in 480-sample frames,
/// and resampled back to its own rate; the model's delay is taken out, so the leg stays aligned with the others.
/// The runtime is loaded from its installation (`DeepFilterInstallation`) when the stage is made.
public final class DeepNoiseSuppressor: AudioProcessor {
    /// The attenuation limit when none is given, in dB: deep enough to take steady noise in the gaps down by
    /// more than 20 dB, shallow enough to leave a faint, even floor instead of dead silence between words;
    /// it scored better than no limit on PESQ and STOI almost everywhere (benchmarks/RESULTS.md).
    public static let defaultAttenuationLimit = 30.0
    /// The limits a recipe may ask for, in dB (100 and above mean no limit to the model).
    public static let attenuationLimitRange = 1.0...100.0

    public let outputFormat: AudioFormat
    private let toModelRate: Resampler?
    private let model: DeepFilterNet
    private var splitter: FrameSplitter
    private var delay = DelayCompensation(latency: DeepFilterNet.latency)
    private let toLegRate: Resampler?

    /// - Parameters:
    ///   - format: the leg's format (mono, any rate soxr takes).
    ///   - attenuationLimit: the most the model lowers anything, in dB.
    ///   - installation: where the runtime is; found with `DeepFilterInstallation.locate()` when nil.
    /// - Throws: `AudioError` when the format is not mono, or the runtime is missing or damaged (saying how to
    ///   install it).
    public init(
        format: AudioFormat, attenuationLimit: Double = defaultAttenuationLimit,
        installation: DeepFilterInstallation? = nil
    ) throws(AudioError) {
        guard format.channelCount == 1 else {
            throw AudioError(.invalidRecipe, "DeepFilterNet3 denoises one mono leg at a time, not \(format)")
        }
        guard Self.attenuationLimitRange.contains(attenuationLimit) else {
            throw AudioError(.invalidRecipe, "denoise limit \(attenuationLimit) dB is outside 1 to 100")
        }
        let library: DeepFilterLibrary
        if let installation {
            library = try .load(installation)
        } else {
            library = try .load(.locate())
        }
        model = try DeepFilterNet(library, attenuationLimit: attenuationLimit)
        splitter = FrameSplitter(frameLength: model.frameLength)
        let modelRate = DeepFilterNet.sampleRate
        let needsResampling = format.sampleRate != modelRate
        toModelRate = needsResampling ? try Resampler(from: format, toSampleRate: modelRate) : nil
        toLegRate = needsResampling ? try Resampler(from: .mono(modelRate), toSampleRate: format.sampleRate) : nil
        outputFormat = format
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        let atModelRate = try toModelRate?.process(chunk).samples ?? chunk.samples
        return try backToLegRate(delay.trimmed(splitter.split(atModelRate, model.process)), ending: false)
    }

    public func flush() throws -> AudioChunk {
        let rest = try toModelRate?.flush().samples ?? []
        var tail = splitter.split(rest + delay.tailPadding, model.process)
        tail += splitter.flush(model.process)
        return try backToLegRate(delay.trimmed(tail), ending: true)
    }

    private func backToLegRate(_ samples: [Float], ending: Bool) throws -> AudioChunk {
        let chunk = AudioChunk(format: .mono(DeepFilterNet.sampleRate), samples: samples)
        guard let toLegRate else { return chunk }
        var output = try toLegRate.process(chunk).samples
        if ending { output += try toLegRate.flush().samples }
        return AudioChunk(format: outputFormat, samples: output)
    }
}
