import AudioCore
import Foundation

/// A seeded random number generator (SplitMix64), so generated noise is the same on every run and machine.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform sample in -1...1.
    public mutating func nextSample() -> Float { Float(Double(next() >> 11) / Double(1 << 52) - 1) }
}

/// Deterministic stand-ins for a talker and a noisy line, with the times of every talk spurt known, so tests
/// can measure speech and the gaps between turns separately.
public enum SpeechLike {
    /// A voiced "talker": syllables of harmonics of a gliding fundamental under three formant peaks, with a
    /// syllable-rate envelope, in spurts separated by silent gaps. Returns the mono samples and the spurts
    /// as sample ranges.
    public static func talker(
        seconds: Double, sampleRate: Int, fundamental: Double = 125, spurt: Double = 0.9, gap: Double = 0.6,
        start: Double = 0, amplitude: Float = 0.3
    ) -> (samples: [Float], spurts: [Range<Int>]) {
        let count = Int(seconds * Double(sampleRate))
        var samples = [Float](repeating: 0, count: count)
        var spurts: [Range<Int>] = []
        let formants: [(frequency: Double, width: Double)] = [(700, 130), (1_200, 170), (2_600, 250)]
        var time = start
        var spurtIndex = 0
        while time + spurt <= seconds {
            let range = Int(time * Double(sampleRate))..<Int((time + spurt) * Double(sampleRate))
            spurts.append(range)
            var phase = 0.0
            for n in range {
                let t = Double(n - range.lowerBound) / Double(sampleRate)
                let f0 = fundamental * (1 + 0.08 * sin(2 * Double.pi * 1.3 * t + Double(spurtIndex)))
                phase += 2 * Double.pi * f0 / Double(sampleRate)
                var value = 0.0
                var harmonic = 1
                while Double(harmonic) * f0 < Double(sampleRate) / 2 - 200 {
                    let frequency = Double(harmonic) * f0
                    var gain = 0.05
                    for formant in formants {
                        let x = (frequency - formant.frequency) / formant.width
                        gain += exp(-0.5 * x * x)
                    }
                    value += gain / Double(harmonic).squareRoot() * sin(Double(harmonic) * phase)
                    harmonic += 1
                }
                let syllable = 0.55 + 0.45 * sin(2 * Double.pi * 4 * t - Double.pi / 2)
                let edge = min(1, t / 0.02, (spurt - t) / 0.02)
                samples[n] = Float(value * syllable * edge * 0.12) * amplitude / 0.3
            }
            time += spurt + gap
            spurtIndex += 1
        }
        return (samples, spurts)
    }

    /// White noise at RMS level `dBFS`.
    public static func whiteNoise(count: Int, dBFS: Double, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        // A uniform sample in -1...1 has RMS 1/sqrt(3).
        let scale = Float(pow(10, dBFS / 20) * 3.0.squareRoot())
        return (0..<count).map { _ in generator.nextSample() * scale }
    }
}

/// Levels of parts of a signal.
public enum Level {
    /// RMS level in dBFS of `samples` over `ranges` together (all of it when nil).
    public static func dBFS(_ samples: [Float], over ranges: [Range<Int>]? = nil) -> Double {
        Measure.rmsDBFS((ranges ?? [0..<samples.count]).flatMap { samples[$0.clamped(to: 0..<samples.count)] })
    }

    /// The gaps between `spurts` within `0..<count`, shrunk by `margin` samples at each side, skipping the
    /// first `skip` samples.
    public static func gaps(between spurts: [Range<Int>], count: Int, margin: Int, skip: Int = 0) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var previousEnd = 0
        for spurt in spurts + [count..<count] {
            let lower = max(previousEnd + margin, skip)
            let upper = spurt.lowerBound - margin
            if lower < upper { gaps.append(lower..<upper) }
            previousEnd = spurt.upperBound
        }
        return gaps
    }
}
