import AudioCore
import CEbur128
import Foundation

/// Measures a stream's integrated loudness (EBU R128 / ITU-R BS.1770, gated, in LUFS) with libebur128 as
/// the stream passes through unchanged.
///
/// It serves both the quick measuring pass over a leg before it is normalised (`measure(_:)`) and the
/// "after" figure of the report, placed behind the gain.
public final class LoudnessMeter: AudioProcessor {
    public let outputFormat: AudioFormat
    private let state: UnsafeMutablePointer<ebur128_state>

    /// - Parameter measuresTruePeak: also track the true peak (libebur128 oversamples for it, which costs time).
    public init(format: AudioFormat, measuresTruePeak: Bool = false) throws {
        let mode = EBUR128_MODE_I.rawValue | (measuresTruePeak ? EBUR128_MODE_TRUE_PEAK.rawValue : 0)
        guard let state = ebur128_init(UInt32(format.channelCount), UInt(format.sampleRate), Int32(mode))
        else { throw AudioError(.invalidRecipe, "libebur128 cannot measure \(format)") }
        self.state = state
        outputFormat = format
    }

    deinit {
        var state: UnsafeMutablePointer<ebur128_state>? = state
        ebur128_destroy(&state)
    }

    /// The gated integrated loudness so far in LUFS; nil while nothing rises above the absolute gate
    /// (-70 LUFS), such as a silent leg.
    public var integratedLoudness: Double? {
        var loudness = 0.0
        guard ebur128_loudness_global(state, &loudness) == 0, loudness.isFinite else { return nil }
        return loudness
    }

    /// The highest true peak of any channel so far, in dBTP (nil unless measured, or for digital silence).
    public var truePeakDBTP: Double? {
        var highest = 0.0
        for channel in 0..<outputFormat.channelCount {
            var peak = 0.0
            guard ebur128_true_peak(state, UInt32(channel), &peak) == 0 else { return nil }
            highest = max(highest, peak)
        }
        return highest > 0 ? 20 * log10(highest) : nil
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        let status = chunk.samples.withUnsafeBufferPointer {
            ebur128_add_frames_float(state, $0.baseAddress, chunk.frameCount)
        }
        guard status == 0 else { throw AudioError(.decodeFailed, "libebur128 failed with error \(status)") }
        return chunk
    }

    public func flush() throws -> AudioChunk { .empty(outputFormat) }

    /// Reads `source` to its end and returns its integrated loudness (nil when it is silent throughout).
    public static func measure(_ source: some AudioSource) throws -> Double? {
        let meter = try LoudnessMeter(format: source.format)
        let measured = source.through(meter)
        while try measured.read() != nil {}
        return meter.integratedLoudness
    }
}
