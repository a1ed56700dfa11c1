import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Synchronization
import Testing

@testable import CallTranscription

/// A noisy leg read more than once, cleaned and raw, by an engine whose confidence ranks the readings; of two, the
/// reading it is surer of is kept, and recorded in the transcript; of three, their vote (`ReadingVoteTests`).
@Suite struct LegReadingsTests {
    /// An engine that hears one word in each clip, with a confidence that follows the clip's loudness (rising with
    /// it or falling), and notes every clip's RMS.
    final class LoudnessEngine: Transcriber, Sendable {
        let engineName = "loudness"
        let modelName = "none"
        let longestClip = 28.0
        let ranksByConfidence: Bool
        let trustsLoudClips: Bool
        let clipLevels = Mutex<[Double]>([])

        init(ranksByConfidence: Bool = true, trustsLoudClips: Bool) {
            self.ranksByConfidence = ranksByConfidence
            self.trustsLoudClips = trustsLoudClips
        }

        func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
            let rms = (clip.samples.reduce(0) { $0 + Double($1 * $1) } / Double(max(clip.samples.count, 1)))
                .squareRoot()
            clipLevels.withLock { $0.append(rms) }
            let confidence = min(1, max(0, trustsLoudClips ? rms * 4 : 1 - rms * 4))
            return [RecognizedSpeech(start: 0, end: clip.duration, text: "word", confidence: confidence)]
        }
    }

    /// The call's legs under uniform noise of amplitude 0.1 (-24.8 dBFS, noisy by `CallTranscriber.noisyLegFloor`).
    static func noisyLegs(in folder: URL) throws -> [CallRecipe.Leg] {
        try SpokenCall.writeLegs(to: folder, noise: 0.1)
    }

    @Test(arguments: [(false, NoiseSuppressor.Level.moderate), (true, .off)])
    func theReadingTheEngineIsSurerOfIsKept(trustsLoudClips: Bool, kept: NoiseSuppressor.Level) throws {
        try withScratchFolder { folder throws in
            let legs = try Self.noisyLegs(in: folder)
            let engine = LoudnessEngine(trustsLoudClips: trustsLoudClips)
            var reported: [Int: [Double]] = [:]
            let transcript = try CallTranscriber(engine: engine, readsWithDeepFilter: false).transcribe(legs) {
                reported[$0, default: []].append($1)
            }
            #expect(transcript.cleanup == [kept, kept])
            // Each leg was read twice (one clip per reading: the legs are shorter than a clip), and the raw
            // readings are the louder ones.
            let levels = engine.clipLevels.withLock { $0 }
            #expect(levels.count == 4)
            #expect(levels[1] > levels[0] && levels[3] > levels[2], "\(levels)")
            let keptLevels = kept == .off ? [levels[1], levels[3]] : [levels[0], levels[2]]
            let expected = keptLevels.map { min(1, max(0, trustsLoudClips ? $0 * 4 : 1 - $0 * 4)) }
            #expect(Set(transcript.segments.compactMap(\.confidence)) == Set(expected))
            // Progress goes forward only, a reading being half the way.
            for (_, seconds) in reported {
                #expect(seconds == seconds.sorted() && seconds.count == 2, "\(seconds)")
            }
        }
    }

    /// Reading with DeepFilterNet3 (scripts/test.sh installs it), a noisy leg is read a third time, cleaned by it;
    /// the readings are voted on, and with no words to vote on the surest one is kept whole.
    @Test func withDeepFilterANoisyLegIsReadThreeWays() throws {
        try withScratchFolder { folder throws in
            let engine = LoudnessEngine(trustsLoudClips: true)
            var reported: [Int: [Double]] = [:]
            let transcriber = CallTranscriber(engine: engine, readsWithDeepFilter: true)
            let transcript = try transcriber.transcribe(try Self.noisyLegs(in: folder)) {
                reported[$0, default: []].append($1)
            }
            #expect(transcript.cleanup == [.off, .off])
            // Moderate, raw, then deep for each leg: the raw reading the loudest of its leg's three.
            let levels = engine.clipLevels.withLock { $0 }
            #expect(levels.count == 6)
            #expect(levels[1] == levels[0...2].max() && levels[4] == levels[3...5].max(), "\(levels)")
            for (_, seconds) in reported {
                #expect(seconds == seconds.sorted() && seconds.count == 3, "\(seconds)")
            }
        }
    }

    @Test func aCleanLegOrAnEngineWithoutRankingIsReadOnce() throws {
        try withScratchFolder { folder throws in
            let unranked = LoudnessEngine(ranksByConfidence: false, trustsLoudClips: true)
            let noisy = try CallTranscriber(engine: unranked, readsWithDeepFilter: true).transcribe(
                try Self.noisyLegs(in: folder))
            #expect(noisy.cleanup == [.moderate, .moderate])
            #expect(unranked.clipLevels.withLock { $0.count } == 2)

            let ranked = LoudnessEngine(trustsLoudClips: true)
            let clean = try CallTranscriber(engine: ranked, readsWithDeepFilter: true).transcribe(
                try SpokenCall.writeLegs(to: folder))
            #expect(clean.cleanup == [.off, .off])
            #expect(ranked.clipLevels.withLock { $0.count } == 2)

            let asked = LoudnessEngine(trustsLoudClips: true)
            let given = try CallTranscriber(engine: asked, denoise: .high, readsWithDeepFilter: true).transcribe(
                try Self.noisyLegs(in: folder))
            #expect(given.cleanup == [.high, .high])
            #expect(asked.clipLevels.withLock { $0.count } == 2)
        }
    }

    @Test func aTieOrNoConfidenceKeepsTheFirstReadingAndHearingNothingIsLeastSure() {
        func segment(_ confidence: Double?, seconds: Double = 1) -> TranscriptSegment {
            TranscriptSegment(
                start: 0, end: seconds, speaker: "Caller", leg: 0, text: "word", confidence: confidence, words: [])
        }
        var tie = LegReadings()
        tie.add([segment(0.5)], cleanup: .moderate, legEnd: 4)
        tie.add([segment(0.5)], cleanup: .off, legEnd: 4)
        #expect(tie.kept?.cleanup == .moderate)
        #expect(tie.progress(readingsInAll: 2) == 4)

        var unknown = LegReadings()
        unknown.add([segment(nil)], cleanup: .moderate, legEnd: 3)
        unknown.add([segment(nil)], cleanup: .off, legEnd: 3)
        #expect(unknown.kept?.cleanup == .moderate)
        // A reading with a confidence is preferred to one without.
        unknown.add([segment(0.1)], cleanup: .high, legEnd: 3)
        #expect(unknown.kept?.cleanup == .high)

        // Confidence is weighted by length: a long sure segment outweighs a short unsure one.
        var weighted = LegReadings()
        weighted.add([segment(0.9, seconds: 9), segment(0.1)], cleanup: .moderate, legEnd: 10)
        weighted.add([segment(0.8, seconds: 10)], cleanup: .off, legEnd: 10)
        #expect(weighted.kept?.cleanup == .moderate)

        var heardNothingCleaned = LegReadings()
        heardNothingCleaned.add([], cleanup: .moderate, legEnd: 5)
        heardNothingCleaned.add([segment(0.2)], cleanup: .off, legEnd: 5)
        #expect(heardNothingCleaned.kept?.cleanup == .off)
        #expect(heardNothingCleaned.progress(readingsInAll: 2) == 5)
        #expect(LegReadings().kept == nil)
    }
}
