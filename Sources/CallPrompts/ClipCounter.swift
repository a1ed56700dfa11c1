import AudioCore

/// Passes a stream through while counting clipped samples: runs of three or more consecutive samples at
/// (or within 0.1 % of) full scale, as a recorder that ran out of headroom leaves them.
final class ClipCounter: AudioProcessor {
    let outputFormat: AudioFormat
    private(set) var clippedSamples = 0
    private(set) var totalSamples = 0
    private var run = 0

    init(format: AudioFormat) { outputFormat = format }

    func process(_ chunk: AudioChunk) throws -> AudioChunk {
        for sample in chunk.samples {
            if abs(sample) >= 0.999 {
                run += 1
                if run == 3 { clippedSamples += 3 } else if run > 3 { clippedSamples += 1 }
            } else {
                run = 0
            }
        }
        totalSamples += chunk.samples.count
        return chunk
    }

    func flush() throws -> AudioChunk { .empty(outputFormat) }

    var clippedShare: Double { totalSamples == 0 ? 0 : Double(clippedSamples) / Double(totalSamples) }
}
