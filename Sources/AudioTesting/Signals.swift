import AudioCore
import Foundation

/// Deterministic test signals.
public enum Signals {
    /// A sine tone of `frequency` Hz at linear `amplitude`, `seconds` long, in `format` (all channels equal).
    public static func sine(
        _ frequency: Double, amplitude: Float = 0.5, seconds: Double, format: AudioFormat
    ) -> AudioChunk {
        let frames = format.frames(forSeconds: seconds)
        var samples = [Float](repeating: 0, count: frames * format.channelCount)
        for frame in 0..<frames {
            let value = amplitude * Float(sin(2 * Double.pi * frequency * Double(frame) / Double(format.sampleRate)))
            for channel in 0..<format.channelCount { samples[frame * format.channelCount + channel] = value }
        }
        return AudioChunk(format: format, samples: samples)
    }
}
