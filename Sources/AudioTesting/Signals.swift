import AudioCore
import Foundation

/// Deterministic test signals.
public enum Signals {
    /// A sine tone of `frequency` Hz at linear `amplitude`, `seconds` long, in `format` (all channels equal).
    public static func sine(
        _ frequency: Double, amplitude: Float = 0.5, seconds: Double, format: AudioFormat
    ) -> AudioChunk {
        generate(seconds: seconds, format: format) { time in
            amplitude * Float(sin(2 * Double.pi * frequency * time))
        }
    }

    /// Reproducible white noise (a fixed linear congruential sequence) at linear peak `amplitude`.
    public static func noise(amplitude: Float = 0.3, seconds: Double, format: AudioFormat, seed: UInt64 = 1)
        -> AudioChunk
    {
        var state = seed
        return generate(seconds: seconds, format: format) { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    /// Speech-like test audio: bursts of a harmonic tone with a wandering pitch, separated by pauses.
    public static func speechLike(seconds: Double, format: AudioFormat) -> AudioChunk {
        generate(seconds: seconds, format: format) { time in
            let syllable = time.truncatingRemainder(dividingBy: 0.4)
            guard syllable < 0.25 else { return 0 }
            let pitch = 120 + 40 * sin(2 * Double.pi * 0.7 * time)
            let envelope = sin(Double.pi * syllable / 0.25)
            let harmonics = (1...8).reduce(0.0) { $0 + sin(2 * Double.pi * pitch * Double($1) * time) / Double($1) }
            return Float(0.3 * envelope * harmonics)
        }
    }

    private static func generate(seconds: Double, format: AudioFormat, _ value: (Double) -> Float) -> AudioChunk {
        let frames = format.frames(forSeconds: seconds)
        var samples = [Float](repeating: 0, count: frames * format.channelCount)
        for frame in 0..<frames {
            let sample = value(Double(frame) / Double(format.sampleRate))
            for channel in 0..<format.channelCount { samples[frame * format.channelCount + channel] = sample }
        }
        return AudioChunk(format: format, samples: samples)
    }
}
