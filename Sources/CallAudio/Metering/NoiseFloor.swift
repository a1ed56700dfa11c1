import AudioCore
import Foundation

/// The level of the quiet on a leg, in dBFS: the RMS level of its 10 ms frames at the `percentile`-th percentile
/// (the quietest tenth by default), where a phone line's hiss, hum or street noise sits between the words.
///
/// Frames are counted in a histogram of 1 dB steps from `silence` to 0 dBFS, so memory stays the same whatever
/// the leg's length. Digital silence reads as `silence`.
public struct NoiseFloor {
    /// The lowest level told apart: digital silence and anything quieter.
    public static let silence = -120.0

    private let frameLength: Int
    private var splitter: FrameSplitter
    private var counts = [Int](repeating: 0, count: Int(-NoiseFloor.silence) + 1)
    private var frames = 0

    public init(format: AudioFormat) {
        frameLength = max(1, format.sampleRate / 100)
        splitter = FrameSplitter(frameLength: frameLength)
    }

    /// Counts the complete 10 ms frames of `samples` (mono); a remainder waits for the next call.
    public mutating func add(_ samples: [Float]) {
        var levels: [Int] = []
        _ = splitter.split(samples) { frame in
            let meanSquare = frame.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(frame.count)
            let level = meanSquare > 0 ? 10 * log10(meanSquare) : Self.silence
            levels.append(Int(max(Self.silence, min(0, level)).rounded()))
        }
        for level in levels { counts[level - Int(Self.silence)] += 1 }
        frames += levels.count
    }

    /// The level below which `percentile` percent of the frames counted so far lie (`silence` before any).
    public func level(atPercentile percentile: Double = 10) -> Double {
        let wanted = Int((Double(frames) * percentile / 100).rounded(.up))
        var seen = 0
        for (index, count) in counts.enumerated() {
            seen += count
            if seen >= max(1, wanted) { return Double(index) + Self.silence }
        }
        return Self.silence
    }
}

extension CallRecipe.Leg {
    /// The noise floor of this leg (`NoiseFloor`, its quietest tenth), read once at `sampleRate`.
    /// - Throws: `AudioError` when the leg cannot be read.
    public func noiseFloor(sampleRate: Int) throws -> Double {
        let stream = try LegInput(self, sampleRate: sampleRate).stream
        var floor = NoiseFloor(format: .mono(sampleRate))
        while let chunk = try stream.read() { floor.add(chunk.samples) }
        return floor.level()
    }
}
