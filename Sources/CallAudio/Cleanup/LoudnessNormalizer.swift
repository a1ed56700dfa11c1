import AudioCore
import Foundation

/// Brings one leg to a target loudness with one constant gain: target minus the leg's measured integrated
/// loudness.
///
/// A constant gain keeps the leg's dynamics: because R128's gates leave the silence between turns out of the
/// measurement, quiet gaps stay as quiet relative to the speech as they were, instead of being pumped up as
/// an automatic gain control would. Peaks pushed over full scale are left to the true-peak limiter after the
/// mix.
public final class LoudnessNormalizer: AudioProcessor {
    /// The most a leg is raised: beyond it, a near-silent leg's noise would become a roar.
    public static let maximumGainDB = 30.0

    public let outputFormat: AudioFormat
    /// The gain applied, in dB.
    public let gainDB: Double
    private let gain: Float

    /// - Parameters:
    ///   - measuredLoudness: the leg's integrated loudness in LUFS; nil (a silent leg) leaves it unchanged.
    ///   - targetLoudness: the loudness to reach, in LUFS.
    public init(format: AudioFormat, measuredLoudness: Double?, targetLoudness: Double) {
        let wanted = measuredLoudness.map { targetLoudness - $0 } ?? 0
        gainDB = min(wanted, Self.maximumGainDB)
        gain = Float(pow(10, gainDB / 20))
        outputFormat = format
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        AudioChunk(format: outputFormat, samples: chunk.samples.map { $0 * gain })
    }

    public func flush() throws -> AudioChunk { .empty(outputFormat) }
}
