import AudioCore
import AudioTesting

/// Runs `samples` through `processor` cut into chunks of `chunkFrames` frames (whole when nil) and returns
/// everything it emits, flush included.
func run(_ processor: some AudioProcessor, _ samples: [Float], format: AudioFormat, chunkFrames: Int? = nil) throws
    -> [Float]
{
    let step = chunkFrames ?? max(samples.count, 1)
    var output: [Float] = []
    for start in stride(from: 0, to: samples.count, by: step) {
        let chunk = AudioChunk(format: format, samples: Array(samples[start..<min(start + step, samples.count)]))
        output += try processor.process(chunk).samples
    }
    output += try processor.flush().samples
    return output
}

/// The largest absolute difference between two equally long signals (infinity when their lengths differ).
func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// A source replaying `samples` in chunks of `chunkFrames` frames.
func replay(_ samples: [Float], format: AudioFormat, chunkFrames: Int) -> ReplaySource {
    ReplaySource(AudioChunk(format: format, samples: samples), framesPerChunk: chunkFrames)
}
