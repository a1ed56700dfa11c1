import Foundation

/// Measurements that tests assert on.
public enum Measure {
    /// Root-mean-square level in dBFS (-200 for silence).
    public static func rmsDBFS(_ samples: some Collection<Float>) -> Double {
        guard !samples.isEmpty else { return -200 }
        let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
        return power > 0 ? 10 * log10(power) : -200
    }

    /// Highest absolute sample in dBFS.
    public static func peakDBFS(_ samples: some Collection<Float>) -> Double {
        let peak = samples.reduce(Float(0)) { max($0, abs($1)) }
        return peak > 0 ? 20 * log10(Double(peak)) : -200
    }

    /// Power of `frequency` in `samples` (Goertzel), normalised so a full-scale sine gives about 0 dB.
    public static func toneDB(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        let amplitude = 2 * power.squareRoot() / Double(max(1, samples.count))
        return amplitude > 0 ? 20 * log10(amplitude) : -200
    }

    /// The index of the first sample whose magnitude reaches `threshold`, if any.
    public static func onset(_ samples: [Float], threshold: Float) -> Int? {
        samples.firstIndex { abs($0) >= threshold }
    }

    /// The frequency with the most energy between `low` and `high` Hz, in `step` Hz steps.
    public static func dominantFrequency(
        _ samples: ArraySlice<Float>, sampleRate: Int, from low: Double, to high: Double, step: Double = 1
    ) -> Double {
        stride(from: low, through: high, by: step).max {
            toneDB(samples, frequency: $0, sampleRate: sampleRate)
                < toneDB(samples, frequency: $1, sampleRate: sampleRate)
        } ?? low
    }

    /// Normalised cross-correlation at zero lag: 1 for identical shapes, 0 for unrelated signals.
    public static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let count = min(a.count, b.count)
        var ab = 0.0
        var aa = 0.0
        var bb = 0.0
        for index in 0..<count {
            ab += Double(a[index]) * Double(b[index])
            aa += Double(a[index]) * Double(a[index])
            bb += Double(b[index]) * Double(b[index])
        }
        return aa > 0 && bb > 0 ? ab / (aa * bb).squareRoot() : 0
    }
}
