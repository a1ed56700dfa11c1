import AudioCore
import CAudioProcessing

/// Removes steady background noise (hiss, hum, fans, line noise) from one mono leg with webrtc's noise
/// suppressor, in 10 ms frames, and counts the frames webrtc's voice detector judges to hold speech.
///
/// It runs per leg before the mix, where the noise of each line is still its own. The high-pass filter
/// (on by default) removes DC and rumble below ~80 Hz; with `level` `.off` the stage still filters and counts
/// speech, so every leg gets a voice-activity figure in the report.
///
/// Given an `echoReference` (the other leg, for a speakerphone that let it leak back in), the same webrtc
/// processor also cancels that echo. webrtc runs its echo canceller before its suppressor, on the raw
/// capture, which is why echo removal lives in this stage rather than in one after it: an adaptive filter
/// cannot model an echo path that a suppressor has already bent.
public final class NoiseSuppressor: AudioProcessor {
    /// How hard the suppressor works: stronger levels remove more noise at the risk of thinning speech.
    ///
    /// `deep` hands suppression to DeepFilterNet3 (`DeepNoiseSuppressor`, run after this stage): webrtc then
    /// only filters and counts speech, as with `off`.
    public enum Level: String, Codable, Sendable, CaseIterable {
        case off, low, moderate, high, veryhigh, deep

        /// Whether webrtc's own suppressor runs at this level.
        var runsWebRTC: Bool { native != CA_NS_OFF }

        var native: ca_ns_level {
            switch self {
            case .off, .deep: CA_NS_OFF
            case .low: CA_NS_LOW
            case .moderate: CA_NS_MODERATE
            case .high: CA_NS_HIGH
            case .veryhigh: CA_NS_VERY_HIGH
            }
        }
    }

    public let outputFormat: AudioFormat
    private let processor: WebRTCProcessor
    private var splitter: FrameSplitter
    private let echoReference: EchoReference?
    /// webrtc's suppressor delays its output (its analysis window overlaps the next frame): taken out here.
    private var delay: DelayCompensation

    /// The suppressor's delay at each rate webrtc takes, in samples: 6 ms of window overlap, plus the band
    /// splitting filters above 16 kHz (measured; `NoiseSuppressorTests` checks the output stays aligned).
    private static let suppressorLatency = [8_000: 48, 16_000: 96, 32_000: 195, 48_000: 334]
    /// 10 ms frames processed so far.
    public private(set) var frameCount = 0
    /// Of those, the frames judged to hold speech.
    public private(set) var speechFrameCount = 0

    /// - Throws: `AudioError.invalidRecipe` unless `format` is mono at 8, 16, 32 or 48 kHz and the echo
    ///   reference, if any, has the same format.
    public init(
        format: AudioFormat, level: Level, highPassFilter: Bool = true, echoReference: EchoReference? = nil
    ) throws {
        if let echoReference, echoReference.format != format {
            throw AudioError(.invalidRecipe, "the echo reference is \(echoReference.format), not \(format)")
        }
        processor = try WebRTCProcessor(
            format: format,
            config: ca_apm_config(
                sample_rate: Int32(format.sampleRate), noise_suppression: level.native,
                high_pass_filter: highPassFilter ? 1 : 0, echo_cancellation: echoReference == nil ? 0 : 1,
                voice_detection: 1))
        self.echoReference = echoReference
        delay = DelayCompensation(latency: level.runsWebRTC ? Self.suppressorLatency[format.sampleRate] ?? 0 : 0)
        outputFormat = format
        splitter = FrameSplitter(frameLength: processor.frameLength)
    }

    /// The share of frames with speech, 0...1 (0 before any audio).
    public var speechShare: Double { frameCount == 0 ? 0 : Double(speechFrameCount) / Double(frameCount) }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        AudioChunk(format: outputFormat, samples: delay.trimmed(try splitter.split(chunk.samples, suppress)))
    }

    /// Pushes silence through to bring out the delayed end of the leg, so the output is exactly as long as
    /// the input and in step with it.
    public func flush() throws -> AudioChunk {
        var tail = try splitter.split(delay.tailPadding, suppress)
        tail += try splitter.flush(suppress)
        return AudioChunk(format: outputFormat, samples: delay.trimmed(tail))
    }

    private func suppress(_ frame: inout [Float]) throws {
        if let echoReference { try processor.analyzeFarEnd(try echoReference.next(frame.count)) }
        try processor.process(&frame)
        frameCount += 1
        if processor.hasVoice { speechFrameCount += 1 }
    }
}
