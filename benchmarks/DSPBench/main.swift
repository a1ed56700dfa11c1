import AudioCore
import AudioTesting
import CallAudio
import Foundation

/// Times each DSP stage alone on ten minutes of a synthetic talker with line noise at 16 kHz, fed in the
/// decoder's 4096-frame chunks, and prints how many times faster than real time each one runs.
///
///   swift run -c release dsp-bench [minutes]
let minutes = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 10
let format = AudioFormat.mono(16_000)
let talker = SpeechLike.talker(seconds: 60, sampleRate: format.sampleRate).samples
let minute = zip(talker, SpeechLike.whiteNoise(count: talker.count, dBFS: -45, seed: 1)).map(+)
let seconds = minutes * 60
let chunks = (0..<Int(minutes)).flatMap { _ in
    stride(from: 0, to: minute.count, by: 4_096).map {
        AudioChunk(format: format, samples: Array(minute[$0..<min($0 + 4_096, minute.count)]))
    }
}

/// A source that replays the prepared chunks, as the far-end reference of the echo canceller.
final class Replay: AudioSource {
    let format: AudioFormat
    private var index = 0
    init(format: AudioFormat) { self.format = format }
    func read() throws -> AudioChunk? {
        guard index < chunks.count else { return nil }
        defer { index += 1 }
        return chunks[index]
    }
}

func time(_ name: String, _ makeStage: () throws -> any AudioProcessor) throws {
    let stage = try makeStage()
    let start = ContinuousClock.now
    for chunk in chunks { _ = try stage.process(chunk) }
    _ = try stage.flush()
    let elapsed = ContinuousClock.now - start
    let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print("| \(name) | \(String(format: "%.2f", wall)) | \(String(format: "%.0f", seconds / wall))x |")
}

print("\(Int(minutes)) min of mono 16 kHz speech with noise, one thread:\n")
print("| stage | seconds | x realtime |")
print("|---|---|---|")
try time("noise suppressor (webrtc NS moderate + HPF + VAD)") { try NoiseSuppressor(format: format, level: .moderate) }
try time("noise suppressor, very high") { try NoiseSuppressor(format: format, level: .veryhigh) }
try time("DeepFilterNet3 (deep, 30 dB limit; soxr to 48 kHz and back)") { try DeepNoiseSuppressor(format: format) }
try time("echo canceller + NS (webrtc AEC, other leg as reference)") {
    try NoiseSuppressor(format: format, level: .moderate, echoReference: EchoReference(Replay(format: format), lead: 0))
}
try time("loudness meter (libebur128, integrated)") { try LoudnessMeter(format: format) }
try time("loudness gain") { LoudnessNormalizer(format: format, measuredLoudness: -30, targetLoudness: -19) }
try time("noise-floor meter") { NoiseFloorMeter(format: format) }
try time("true-peak limiter (soxr 4x side chain + look-ahead limiter)") { try TruePeakLimiter(format: format) }
try time("tempo 1.5x (libsonic)") { try TempoChanger(format: format, speed: 1.5) }
try time("tempo 2x (libsonic)") { try TempoChanger(format: format, speed: 2) }
