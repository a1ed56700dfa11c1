import AudioCore
import CAudioProcessing

/// Owns one webrtc `AudioProcessing` instance (through the `CAudioProcessing` C API) and frees it.
///
/// The stages built on it (`NoiseSuppressor`, `EchoCanceller`) cut their streams into its 10 ms frames.
final class WebRTCProcessor {
    /// The rates webrtc-audio-processing 0.3 processes natively.
    static let supportedRates = [8_000, 16_000, 32_000, 48_000]

    private let handle: OpaquePointer
    /// Samples in one 10 ms frame.
    let frameLength: Int

    init(format: AudioFormat, config: ca_apm_config) throws {
        guard format.channelCount == 1, Self.supportedRates.contains(format.sampleRate) else {
            throw AudioError(
                .invalidRecipe,
                "webrtc audio processing needs mono audio at 8, 16, 32 or 48 kHz, not \(format)")
        }
        guard let handle = ca_apm_create(config) else {
            throw AudioError(.invalidRecipe, "webrtc audio processing rejected its settings at \(format)")
        }
        self.handle = handle
        frameLength = Int(ca_apm_frame_length(handle))
    }

    deinit { ca_apm_destroy(handle) }

    /// Gives the echo canceller one 10 ms frame of the far-end reference.
    func analyzeFarEnd(_ frame: [Float]) throws {
        try check(frame.withUnsafeBufferPointer { ca_apm_analyze_far_end(handle, $0.baseAddress) })
    }

    /// Processes one 10 ms frame in place.
    func process(_ frame: inout [Float]) throws {
        try check(frame.withUnsafeMutableBufferPointer { ca_apm_process(handle, $0.baseAddress) })
    }

    /// Whether the voice detector heard speech in the last processed frame.
    var hasVoice: Bool { ca_apm_has_voice(handle) != 0 }

    private func check(_ status: Int32) throws {
        // -13 (kBadStreamParameterWarning) is a warning: the frame was processed.
        guard status == 0 || status == -13 else {
            throw AudioError(.decodeFailed, "webrtc audio processing failed with error \(status)")
        }
    }
}
