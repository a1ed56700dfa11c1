import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// The P.56 active speech level: pauses do not lower it, and it does not depend on how the stream is chunked.
@Suite struct ActiveSpeechLevelTests {
    let format = AudioFormat.mono(16_000)

    func measure(_ samples: [Float], chunk: Int = 160) throws -> ActiveSpeechLevelMeter {
        let meter = ActiveSpeechLevelMeter(format: format)
        for start in stride(from: 0, to: samples.count, by: chunk) {
            _ = try meter.process(
                AudioChunk(format: format, samples: Array(samples[start..<min(start + chunk, samples.count)])))
        }
        _ = try meter.flush()
        return meter
    }

    @Test func aContinuousToneIsActiveThroughoutAtItsRMSLevel() throws {
        let tone = Signals.sine(440, amplitude: 0.1, seconds: 4, format: format).samples
        let meter = try measure(tone)
        #expect(abs((meter.activeLevel ?? 0) - Measure.rmsDBFS(tone)) < 0.3)
        #expect(meter.activityFactor > 0.98)
    }

    @Test func pausesLeaveTheLevelAndLowerTheActivity() throws {
        let second = Signals.sine(440, amplitude: 0.1, seconds: 1, format: format).samples
        let silence = [Float](repeating: 0, count: second.count)
        let halting = Array([[Float]](repeating: second + silence, count: 4).joined())
        let meter = try measure(halting)
        // Active: half the time, plus the 200 ms hangover after each burst, over which the tone's energy is
        // spread (P.56 counts the hangover as active): 10 log10(0.5 / 0.6) = -0.8 dB under the tone's RMS.
        #expect(abs(meter.activityFactor - 0.6) < 0.05)
        #expect(abs((meter.activeLevel ?? 0) - (Measure.rmsDBFS(second) + 10 * log10(0.5 / 0.6))) < 0.4)
        let whole = try measure(halting, chunk: halting.count)
        #expect(abs((whole.activeLevel ?? 0) - (meter.activeLevel ?? 0)) < 0.01)
    }

    @Test func silenceHasNoActiveLevel() throws {
        #expect(try measure([Float](repeating: 0, count: 16_000)).activeLevel == nil)
    }
}
