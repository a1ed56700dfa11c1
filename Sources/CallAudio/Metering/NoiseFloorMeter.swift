import AudioCore
import Foundation

/// Passes a mono stream through unchanged while estimating its noise floor: the level that the quietest
/// tenth of its 10 ms blocks stay under, which on a call is the line noise between turns.
///
/// Block levels go into a histogram of 0.5 dB bins, so memory stays constant however long the call is.
public final class NoiseFloorMeter: AudioProcessor {
    public let outputFormat: AudioFormat
    private let blockFrames: Int
    private var sumOfSquares = 0.0
    private var framesInBlock = 0
    /// Bin `i` counts blocks with a level in [-120 + i/2, -120 + (i+1)/2) dBFS; the first bin also holds
    /// everything quieter.
    private var histogram = [Int](repeating: 0, count: 240)

    public init(format: AudioFormat) {
        outputFormat = format
        blockFrames = max(1, format.sampleRate / 100)
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        chunk.samples.withUnsafeBufferPointer { samples in
            var index = 0
            while index < samples.count {
                // The rest of the current block, or of the chunk, summed in one run.
                let end = index + min(blockFrames - framesInBlock, samples.count - index)
                var sum = sumOfSquares
                for sample in samples[index..<end] { sum += Double(sample) * Double(sample) }
                sumOfSquares = sum
                framesInBlock += end - index
                index = end
                if framesInBlock == blockFrames { closeBlock() }
            }
        }
        return chunk
    }

    public func flush() throws -> AudioChunk { .empty(outputFormat) }

    /// The noise floor in dBFS (-120 for digital silence or no audio at all).
    public var noiseFloorDBFS: Double {
        let blocks = histogram.reduce(0, +)
        guard blocks > 0 else { return -120 }
        var seen = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if seen * 10 >= blocks { return -120 + Double(bin) / 2 }
        }
        return 0
    }

    private func closeBlock() {
        let level = 10 * log10(max(sumOfSquares / Double(blockFrames), 1e-20))
        // A non-finite level (only from samples no decoder lets through) counts as the loudest bin, not a trap.
        let bin = level.isFinite ? min(max(Int((level + 120) * 2), 0), histogram.count - 1) : histogram.count - 1
        histogram[bin] += 1
        sumOfSquares = 0
        framesInBlock = 0
    }
}
