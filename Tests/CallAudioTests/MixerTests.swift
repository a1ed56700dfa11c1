import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// Legs land on the timeline where their offsets say, to within a millisecond.
@Suite struct MixerTests {
    let rate = 16_000

    /// A 440 Hz leg captured at 8 kHz and a 1 kHz leg at 48 kHz, resampled to 16 kHz and mixed.
    private func mix(offsetOfSecondLeg: Double, channelCount: Int) throws -> (mixed: [Float], first: Int, second: Int) {
        let first = Signals.sine(440, amplitude: 0.4, seconds: 2, format: .mono(8_000))
        let second = Signals.sine(1_000, amplitude: 0.4, seconds: 1.5, format: .mono(48_000))
        let earliest = min(0, offsetOfSecondLeg)
        let firstStart = AudioFormat.mono(rate).frames(forSeconds: -earliest)
        let secondStart = AudioFormat.mono(rate).frames(forSeconds: offsetOfSecondLeg - earliest)
        let mixer = Mixer(
            legs: [
                .init(
                    source: try ReplaySource(first, framesPerChunk: 1000).resampled(to: rate), startFrame: firstStart),
                .init(
                    source: try ReplaySource(second, framesPerChunk: 960).resampled(to: rate), startFrame: secondStart),
            ],
            channelCount: channelCount)
        return (try mixer.readAll(), firstStart, secondStart)
    }

    @Test(arguments: [0.0, 1.35, 0.7771, -0.5])
    func stereoPutsEachLegOnItsChannelAtItsOffset(offset: Double) throws {
        let (mixed, firstStart, secondStart) = try mix(offsetOfSecondLeg: offset, channelCount: 2)
        let chunk = AudioChunk(format: .stereo(rate), samples: mixed)
        let left = chunk.channel(0)
        let right = chunk.channel(1)
        let tolerance = rate / 1000
        #expect(abs(try #require(Measure.onset(left, threshold: 0.05)) - firstStart) <= tolerance)
        #expect(abs(try #require(Measure.onset(right, threshold: 0.05)) - secondStart) <= tolerance)
        #expect(chunk.frameCount == max(firstStart + 2 * rate, secondStart + 3 * rate / 2))
        let leftMiddle = left[(firstStart + rate / 2)..<(firstStart + rate)]
        #expect(Measure.toneDB(leftMiddle, frequency: 440, sampleRate: rate) > -10)
        #expect(Measure.toneDB(leftMiddle, frequency: 1_000, sampleRate: rate) < -60)
        let rightMiddle = right[(secondStart + rate / 2)..<(secondStart + rate)]
        #expect(Measure.toneDB(rightMiddle, frequency: 1_000, sampleRate: rate) > -10)
        #expect(Measure.toneDB(rightMiddle, frequency: 440, sampleRate: rate) < -60)
    }

    @Test(arguments: [1.35, 0.2503])
    func monoSumsTheLegsWithTheSecondStartingOnTime(offset: Double) throws {
        let (mixed, _, secondStart) = try mix(offsetOfSecondLeg: offset, channelCount: 1)
        let (alone, _, _) = try mix(offsetOfSecondLeg: 100, channelCount: 1)
        let secondLeg = zip(mixed, alone).map { $0 - $1 }
        #expect(abs(try #require(Measure.onset(secondLeg, threshold: 0.05)) - secondStart) <= rate / 1000)
        let both = mixed[(secondStart + rate / 4)..<(secondStart + rate / 2)]
        #expect(Measure.toneDB(both, frequency: 440, sampleRate: rate) > -10)
        #expect(Measure.toneDB(both, frequency: 1_000, sampleRate: rate) > -10)
        #expect(abs(Measure.toneDB(both, frequency: 1_000, sampleRate: rate) - 20 * log10(0.4)) < 0.5, "no 1/N loss")
    }

    @Test func aConferenceOfThreeLegsRunsToTheLatestEnd() throws {
        let format = AudioFormat.mono(rate)
        let legs = [(0, 1.0), (8_000, 0.5), (40_000, 1.0)].map { start, seconds in
            Mixer.Leg(
                source: ReplaySource(
                    Signals.sine(300, amplitude: 0.1, seconds: seconds, format: format), framesPerChunk: 777),
                startFrame: start)
        }
        let mixed = try Mixer(legs: legs, channelCount: 1).readAll()
        #expect(mixed.count == 40_000 + rate)
        #expect(Measure.rmsDBFS(mixed[17_000..<39_000]) == -200, "silence between legs")
    }
}
