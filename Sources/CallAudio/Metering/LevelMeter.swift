import AudioCore
import Foundation

/// Passes a stream through unchanged while measuring its peak and RMS level, for the report.
public final class LevelMeter: AudioProcessor {
    public let outputFormat: AudioFormat
    private var peak: Float = 0
    private var sumOfSquares: Double = 0
    private var sampleCount = 0

    public init(format: AudioFormat) { self.outputFormat = format }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        var chunkPeak: Float = 0
        var chunkSum = 0.0
        for sample in chunk.samples {
            chunkPeak = max(chunkPeak, abs(sample))
            chunkSum += Double(sample) * Double(sample)
        }
        peak = max(peak, chunkPeak)
        sumOfSquares += chunkSum
        sampleCount += chunk.samples.count
        return chunk
    }

    public func flush() throws -> AudioChunk { .empty(outputFormat) }

    /// The highest absolute sample in dBFS (-200 for digital silence).
    public var peakDBFS: Double { Self.decibels(Double(peak)) }

    /// The root-mean-square level of everything measured, in dBFS (-200 for digital silence).
    public var rmsDBFS: Double {
        sampleCount == 0 ? -200 : Self.decibels((sumOfSquares / Double(sampleCount)).squareRoot())
    }

    static func decibels(_ amplitude: Double) -> Double {
        amplitude > 0 ? max(-200, 20 * log10(amplitude)) : -200
    }
}
