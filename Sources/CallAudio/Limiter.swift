import AudioCore
import Foundation

/// A look-ahead peak limiter: keeps every sample at or below the ceiling without clipping, and leaves audio
/// that is already below it untouched.
///
/// The gain needed by each frame is held over the look-ahead window, released smoothly afterwards, and
/// averaged over the window, so the gain is already down when a peak arrives and never steps abruptly.
/// The output is delayed by the look-ahead inside the stage; `flush()` returns the tail, so the output has
/// exactly as many frames as the input. Stereo channels share one gain, which keeps the image stable.
public final class Limiter: AudioProcessor {
    public let outputFormat: AudioFormat
    private let ceiling: Float
    private let window: Int
    private let releaseCoefficient: Float
    private var delayed: [Float]
    private var delayedIndex = 0
    private var heldGains = SlidingMinimum()
    private var smoothing: [Float]
    private var smoothingIndex = 0
    private var smoothingSum: Double
    private var releasedGain: Float = 1
    private var framesIn = 0
    private var framesOut = 0

    /// - Parameters:
    ///   - ceiling: the highest absolute sample allowed out, linear (default -1 dBFS, room for MP3 encoding).
    ///   - lookAhead: seconds the limiter sees ahead (and delays the stream by, internally).
    ///   - release: seconds over which the gain recovers after a peak.
    public init(format: AudioFormat, ceilingDBFS: Double = -1, lookAhead: Double = 0.005, release: Double = 0.08) {
        self.outputFormat = format
        self.ceiling = Float(pow(10, ceilingDBFS / 20))
        self.window = max(1, format.frames(forSeconds: lookAhead))
        self.releaseCoefficient = Float(1 - exp(-1 / (release * Double(format.sampleRate))))
        self.delayed = [Float](repeating: 0, count: window * format.channelCount)
        self.smoothing = []
        self.smoothingSum = 0
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        var output: [Float] = []
        output.reserveCapacity(chunk.samples.count)
        for frame in 0..<chunk.frameCount {
            let start = frame * outputFormat.channelCount
            push(chunk.samples[start..<(start + outputFormat.channelCount)], into: &output)
        }
        return AudioChunk(format: outputFormat, samples: output)
    }

    public func flush() throws -> AudioChunk {
        var output: [Float] = []
        let silence = [Float](repeating: 0, count: outputFormat.channelCount)
        let inputFrames = framesIn
        while framesOut < inputFrames { push(silence[...], into: &output) }
        return AudioChunk(format: outputFormat, samples: output)
    }

    /// Seeds the averaging window before the first output frame with that frame's held gain, which is no more
    /// than the gain any frame of the first window needs, so a peak at the very start is limited too.
    private func startSmoothing(at gain: Float) {
        smoothing = [Float](repeating: gain, count: window)
        smoothingSum = Double(gain) * Double(window)
    }

    /// Takes one input frame and, once the look-ahead is full, emits the frame from `window` frames earlier.
    private func push(_ frame: ArraySlice<Float>, into output: inout [Float]) {
        let peak = frame.reduce(Float(0)) { max($0, abs($1)) }
        heldGains.push(peak > ceiling ? ceiling / peak : 1, at: framesIn)
        let channels = outputFormat.channelCount
        let slot = delayedIndex * channels
        if framesIn >= window {
            let held = heldGains.minimum(from: framesIn - window)
            releasedGain = min(held, releasedGain + (1 - releasedGain) * releaseCoefficient)
            if framesOut == 0 { startSmoothing(at: releasedGain) }
            smoothingSum += Double(releasedGain - smoothing[smoothingIndex])
            smoothing[smoothingIndex] = releasedGain
            smoothingIndex = (smoothingIndex + 1) % window
            let gain = Float(smoothingSum / Double(window))
            for channel in 0..<channels { output.append(delayed[slot + channel] * gain) }
            framesOut += 1
        }
        for (channel, sample) in frame.enumerated() { delayed[slot + channel] = sample }
        delayedIndex = (delayedIndex + 1) % window
        framesIn += 1
    }
}

/// The minimum of the values pushed at or after a given index: a monotonic queue, O(1) amortised per value.
private struct SlidingMinimum {
    private var values: [(index: Int, value: Float)] = []
    private var head = 0

    mutating func push(_ value: Float, at index: Int) {
        while values.count > head, values[values.count - 1].value >= value { values.removeLast() }
        values.append((index, value))
        if head > 1024 {
            values.removeFirst(head)
            head = 0
        }
    }

    /// The minimum over every value pushed at index `first` or later; values before it are dropped.
    mutating func minimum(from first: Int) -> Float {
        while values[head].index < first { head += 1 }
        return values[head].value
    }
}
