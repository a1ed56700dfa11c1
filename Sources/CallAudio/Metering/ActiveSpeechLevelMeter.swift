import AudioCore
import Foundation

/// Passes a mono stream through unchanged while measuring its active speech level the ITU-T P.56 way
/// (method B): the level over the samples where speech is active, so pauses do not pull it down.
///
/// A sample is active while its envelope (rectified, smoothed twice with a 30 ms time constant, held for
/// 200 ms) stays above a threshold; of the thresholds tried (every 1 dB from 0 down to -100 dBFS), the one
/// lying 15.9 dB under the level it yields is chosen, interpolated between neighbours.
public final class ActiveSpeechLevelMeter: AudioProcessor {
    public let outputFormat: AudioFormat
    private static let thresholds = (0...100).map { pow(10, -Double($0) / 20) }
    private static let margin = 15.9
    private let smoothing: Double
    private let hangover: Int
    private var envelope = (0.0, 0.0)
    private var sumOfSquares = 0.0
    private var totalSamples = 0
    /// Per threshold: the active samples counted so far and the samples of hangover left.
    private var active: [Int]
    private var hold: [Int]
    private let blockLength: Int
    private var blockFill = 0

    public init(format: AudioFormat) {
        outputFormat = format
        smoothing = exp(-1 / (0.03 * Double(format.sampleRate)))
        hangover = Int(0.2 * Double(format.sampleRate))
        blockLength = max(1, format.sampleRate / 1_000)
        active = Array(repeating: 0, count: Self.thresholds.count)
        hold = Array(repeating: 0, count: Self.thresholds.count)
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        for sample in chunk.samples {
            let magnitude = Double(abs(sample))
            sumOfSquares += magnitude * magnitude
            totalSamples += 1
            envelope.0 = smoothing * envelope.0 + (1 - smoothing) * magnitude
            envelope.1 = smoothing * envelope.1 + (1 - smoothing) * envelope.0
            blockFill += 1
            if blockFill == blockLength { countActivity() }
        }
        return chunk
    }

    /// Counts the block just ended as active or not for every threshold, from the envelope at its end (the
    /// envelope moves on a 30 ms scale, so a 1 ms block loses nothing).
    private func countActivity() {
        // Thresholds fall 1 dB per index: the envelope reaches every one from `first` on.
        let first = envelope.1 > 0 ? max(0, Int((-20 * log10(envelope.1)).rounded(.up))) : Self.thresholds.count
        for index in 0..<Self.thresholds.count {
            if index >= first {
                hold[index] = hangover
                active[index] += blockFill
            } else if hold[index] > 0 {
                hold[index] -= blockFill
                active[index] += blockFill
            }
        }
        blockFill = 0
    }

    public func flush() throws -> AudioChunk {
        if blockFill > 0 { countActivity() }
        return .empty(outputFormat)
    }

    /// The active speech level in dBov (dB relative to full scale); nil when nothing was ever active.
    public var activeLevel: Double? { measurement?.level }

    /// Seconds of active speech.
    public var activeSeconds: Double {
        outputFormat.seconds(forFrames: (measurement?.activeSamples ?? 0) / outputFormat.channelCount)
    }

    /// The share of the stream that was active speech, 0 ... 1.
    public var activityFactor: Double {
        guard let measurement, totalSamples > 0 else { return 0 }
        return Double(measurement.activeSamples) / Double(totalSamples)
    }

    /// Walks the thresholds downwards: the level over the active samples falls more slowly than the threshold,
    /// so their difference grows; where it reaches the margin, interpolated between the two thresholds around it.
    private var measurement: (level: Double, activeSamples: Int)? {
        var previous: (difference: Double, level: Double, count: Int)?
        for (index, threshold) in Self.thresholds.enumerated() where active[index] > 0 {
            let level = 10 * log10(max(sumOfSquares / Double(active[index]), 1e-20))
            let difference = level - 20 * log10(threshold)
            if difference >= Self.margin {
                guard let previous else { return (level, active[index]) }
                let share = (Self.margin - previous.difference) / (difference - previous.difference)
                return (
                    previous.level + share * (level - previous.level),
                    previous.count + Int(share * Double(active[index] - previous.count))
                )
            }
            previous = (difference, level, active[index])
        }
        return previous.map { ($0.level, $0.count) }
    }
}
