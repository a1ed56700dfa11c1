import AudioCore

/// Owns one DeepFilterNet3 denoiser state (made by the run-time loaded `DeepFilterLibrary`) and frees it.
///
/// It denoises mono 48 kHz audio in frames of `frameLength` (480) samples; `DeepNoiseSuppressor` brings a leg
/// to it and back.
final class DeepFilterNet {
    /// The only rate the model runs at.
    static let sampleRate = 48_000
    /// Samples the output lags the input by: one 10 ms frame of STFT overlap plus two frames of the model's
    /// look-ahead (measured; `DeepNoiseSuppressorTests` checks that the output stays aligned).
    static let latency = 1_440

    private let library: DeepFilterLibrary
    private let state: UnsafeMutableRawPointer
    /// Samples in one frame.
    let frameLength: Int

    /// - Parameter attenuationLimit: the most the model lowers anything, in dB (100: no limit).
    init(_ library: DeepFilterLibrary, attenuationLimit: Double) throws(AudioError) {
        let model = library.installation.modelPath
        guard let state = library.create(model, Float(attenuationLimit), nil) else {
            throw AudioError(.unsupportedFormat, path: model, "DeepFilterNet3 could not load this model")
        }
        self.library = library
        self.state = state
        frameLength = library.frameLength(state)
    }

    deinit { library.free(state) }

    /// Denoises one frame in place.
    func process(_ frame: inout [Float]) {
        let input = frame
        input.withUnsafeBufferPointer { input in
            frame.withUnsafeMutableBufferPointer { output in
                _ = library.processFrame(state, UnsafeMutablePointer(mutating: input.baseAddress), output.baseAddress)
            }
        }
    }
}
