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
    private var state: LimiterState

    /// - Parameters:
    ///   - ceilingDBFS: the highest absolute sample allowed out (default -1 dBFS, room for MP3 encoding).
    ///   - lookAhead: seconds the limiter sees ahead (and delays the stream by, internally).
    ///   - release: seconds over which the gain recovers after a peak.
    public init(format: AudioFormat, ceilingDBFS: Double = -1, lookAhead: Double = 0.005, release: Double = 0.08) {
        outputFormat = format
        state = LimiterState(
            channels: format.channelCount, ceiling: Float(pow(10, ceilingDBFS / 20)),
            window: max(1, format.frames(forSeconds: lookAhead)),
            releaseCoefficient: Float(1 - exp(-1 / (release * Double(format.sampleRate)))))
    }

    public func process(_ chunk: AudioChunk) throws -> AudioChunk {
        AudioChunk(format: outputFormat, samples: chunk.samples.withUnsafeBufferPointer { state.push($0, peaks: nil) })
    }

    /// Limits `chunk` as `process` does, but with each frame's gain set by the larger of its own peak and
    /// `peaks[frame]`: the peak between its samples, for a true-peak limiter (one value per frame of `chunk`).
    func process(_ chunk: AudioChunk, sideChainPeaks peaks: [Float]) -> AudioChunk {
        precondition(peaks.count == chunk.frameCount, "one side-chain peak per frame")
        let samples = chunk.samples.withUnsafeBufferPointer { input in
            peaks.withUnsafeBufferPointer { state.push(input, peaks: $0) }
        }
        return AudioChunk(format: outputFormat, samples: samples)
    }

    /// Pushes a look-ahead of silence through, which brings out the frames still held back.
    public func flush() throws -> AudioChunk {
        let silence = [Float](repeating: 0, count: state.window * state.channels)
        return AudioChunk(format: outputFormat, samples: silence.withUnsafeBufferPointer { state.push($0, peaks: nil) })
    }
}

/// The limiter's arithmetic, kept in one value so a chunk is processed in a single exclusive access. Its buffers
/// have fixed sizes and are read and written in place, so the loop over the frames makes no copy-on-write checks.
private struct LimiterState {
    let channels: Int
    let ceiling: Float
    let window: Int
    let releaseCoefficient: Float
    private let delayed: FixedBuffer<Float>
    private var delayedIndex = 0
    private var heldGains: SlidingMinimum
    private let smoothing: FixedBuffer<Float>
    private var smoothingIndex = 0
    private var smoothingSum = 0.0
    private var releasedGain: Float = 1
    private(set) var framesIn = 0
    private(set) var framesOut = 0

    init(channels: Int, ceiling: Float, window: Int, releaseCoefficient: Float) {
        self.channels = channels
        self.ceiling = ceiling
        self.window = window
        self.releaseCoefficient = releaseCoefficient
        delayed = FixedBuffer(count: window * channels, repeating: 0)
        smoothing = FixedBuffer(count: window, repeating: 1)
        // The gains of one look-ahead, the frame just pushed and the one before the window's first.
        heldGains = SlidingMinimum(capacity: window + 2)
    }

    /// Takes interleaved input frames and returns the frames leaving the look-ahead. A frame's gain comes from the
    /// largest magnitude among its samples and, when given, its side-chain peak in `peaks`.
    mutating func push(_ input: UnsafeBufferPointer<Float>, peaks: UnsafeBufferPointer<Float>?) -> [Float] {
        let frames = input.count / channels
        let leaving = max(0, framesIn + frames - max(framesIn, window))
        return [Float](unsafeUninitializedCapacity: leaving * channels) { output, count in
            var written = 0
            for frame in 0..<frames {
                let start = frame * channels
                var peak = peaks?[frame] ?? 0
                for channel in 0..<channels { peak = max(peak, abs(input[start + channel])) }
                heldGains.push(peak > ceiling ? ceiling / peak : 1, at: framesIn)
                let slot = delayedIndex * channels
                if framesIn >= window {
                    let gain = nextGain()
                    for channel in 0..<channels { output[written + channel] = delayed[slot + channel] * gain }
                    written += channels
                    framesOut += 1
                }
                for channel in 0..<channels { delayed[slot + channel] = input[start + channel] }
                delayedIndex = delayedIndex + 1 == window ? 0 : delayedIndex + 1
                framesIn += 1
            }
            count = written
        }
    }

    /// The gain for the frame leaving the look-ahead: held, released, then averaged over the window.
    private mutating func nextGain() -> Float {
        let held = heldGains.minimum(from: framesIn - window)
        releasedGain = min(held, releasedGain + (1 - releasedGain) * releaseCoefficient)
        if framesOut == 0 {
            // Seed the window with the first held gain: no more than any frame of the first window needs,
            // so a peak at the very start is limited too.
            for index in 0..<window { smoothing[index] = releasedGain }
            smoothingSum = Double(releasedGain) * Double(window)
        }
        smoothingSum += Double(releasedGain - smoothing[smoothingIndex])
        smoothing[smoothingIndex] = releasedGain
        smoothingIndex = smoothingIndex + 1 == window ? 0 : smoothingIndex + 1
        return Float(smoothingSum / Double(window))
    }
}

/// The minimum of the values pushed at or after a given index: a monotonic queue in a ring of fixed capacity,
/// O(1) amortised per value.
private struct SlidingMinimum {
    private let capacity: Int
    private let indices: FixedBuffer<Int>
    private let values: FixedBuffer<Float>
    /// The ring slot of the oldest value kept, and how many are kept.
    private var head = 0
    private var count = 0

    /// `capacity`: the most values ever kept, from the oldest a `minimum` asks for to the newest pushed.
    init(capacity: Int) {
        self.capacity = capacity
        indices = FixedBuffer(count: capacity, repeating: 0)
        values = FixedBuffer(count: capacity, repeating: 0)
    }

    mutating func push(_ value: Float, at index: Int) {
        while count > 0, values[slot(count - 1)] >= value { count -= 1 }
        precondition(count < capacity, "the sliding minimum keeps at most \(capacity) values")
        values[slot(count)] = value
        indices[slot(count)] = index
        count += 1
    }

    /// The minimum over every value pushed at index `first` or later; values before it are dropped.
    mutating func minimum(from first: Int) -> Float {
        while indices[head] < first {
            head = slot(1)
            count -= 1
        }
        return values[head]
    }

    /// The ring slot `offset` places after the oldest value.
    private func slot(_ offset: Int) -> Int {
        let slot = head + offset
        return slot >= capacity ? slot - capacity : slot
    }
}

/// A fixed number of values, freed with their owner, read and written in place.
private final class FixedBuffer<Element> {
    private let base: UnsafeMutablePointer<Element>
    private let count: Int

    init(count: Int, repeating value: Element) {
        self.count = count
        base = .allocate(capacity: count)
        base.initialize(repeating: value, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < count, "index \(index) outside a buffer of \(count)")
            return base[index]
        }
        set {
            assert(index >= 0 && index < count, "index \(index) outside a buffer of \(count)")
            base[index] = newValue
        }
    }
}
