import AudioCore
import AudioTesting
import CallAudio
import Testing

@Suite struct SpeechSegmenterTests {
    let format = AudioFormat.mono(16_000)

    func spans(_ samples: [Float], chunk: Int, segmenter: SpeechSegmenter) throws -> [SpeechSpan] {
        var spans: [SpeechSpan] = []
        for start in stride(from: 0, to: samples.count, by: chunk) {
            let end = min(samples.count, start + chunk)
            spans += try segmenter.push(AudioChunk(format: format, samples: Array(samples[start..<end])))
        }
        return spans + (try segmenter.finish())
    }

    @Test func findsEachTurnAndLeavesTheSilenceOut() throws {
        let talker = SpeechLike.talker(seconds: 10, sampleRate: 16_000, gap: 1.5, start: 0.8)
        let found = try spans(talker.samples, chunk: 1_600, segmenter: SpeechSegmenter(format: format))
        #expect(found.count == talker.spurts.count)
        for (span, spurt) in zip(found, talker.spurts) {
            let spurtStart = format.seconds(forFrames: spurt.lowerBound)
            let spurtEnd = format.seconds(forFrames: spurt.upperBound)
            let spanEnd = span.start + format.seconds(forFrames: span.samples.count)
            #expect(span.start <= spurtStart + 0.1 && span.start >= spurtStart - 0.3, "\(span.start) vs \(spurtStart)")
            #expect(spanEnd >= spurtEnd - 0.1 && spanEnd <= spurtEnd + 0.9, "\(spanEnd) vs \(spurtEnd)")
            // The span's samples are the leg's own, from where it starts.
            let offset = format.frames(forSeconds: span.start)
            #expect(Array(talker.samples[offset..<(offset + 100)]) == Array(span.samples.prefix(100)))
        }
        let kept = found.reduce(0) { $0 + $1.samples.count }
        #expect(Double(kept) < 0.75 * Double(talker.samples.count))
    }

    @Test func silenceGivesNoSpans() throws {
        let quiet = SpeechLike.whiteNoise(count: 80_000, dBFS: -70, seed: 2)
        #expect(try spans(quiet, chunk: 4_000, segmenter: SpeechSegmenter(format: format)).isEmpty)
    }

    @Test func longMonologueIsCutIntoBoundedSpans() throws {
        let talker = SpeechLike.talker(seconds: 12, sampleRate: 16_000, gap: 0.2)
        let found = try spans(
            talker.samples, chunk: 3_200, segmenter: SpeechSegmenter(format: format, maximumLength: 3))
        #expect(found.count >= 3)
        #expect(found.allSatisfy { $0.samples.count <= 3 * 16_000 })
    }

    @Test func sameSpansWhateverTheChunking() throws {
        let talker = SpeechLike.talker(seconds: 6, sampleRate: 16_000, gap: 1.0, start: 0.5)
        let whole = try spans(talker.samples, chunk: talker.samples.count, segmenter: SpeechSegmenter(format: format))
        let small = try spans(talker.samples, chunk: 37, segmenter: SpeechSegmenter(format: format))
        #expect(!whole.isEmpty)
        #expect(whole == small)
    }
}
