import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Synchronization
import Testing

@testable import CallTranscription

/// The legs are cut on one thread while the engine reads on another: order, errors and stopping early.
@Suite struct ClipHandoverTests {
    /// An engine that notes the length of every clip it is given and hears one word in each.
    final class CountingEngine: Transcriber, Sendable {
        let engineName = "counting"
        let modelName = "none"
        let longestClip: Double
        let clipSeconds = Mutex<[Double]>([])
        let failOnClip: Int?

        init(longestClip: Double = 0, failOnClip: Int? = nil) {
            self.longestClip = longestClip
            self.failOnClip = failOnClip
        }

        func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
            let count = clipSeconds.withLock { seen in
                seen.append(Double(clip.samples.count) / Double(SpeechClip.sampleRate))
                return seen.count
            }
            if count == failOnClip { throw TranscriptionError(.engineUnavailable, "engine down") }
            return [RecognizedSpeech(start: 0, end: 0.5, text: "word")]
        }
    }

    @Test func itemsArriveInOrderAndAnErrorAfterThem() throws {
        let handover = ClipHandover<Int>()
        Thread.detachNewThread {
            for item in 1...5 { _ = handover.put(item) }
            handover.finish(throwing: TranscriptionError(.engineUnavailable, "stopped"))
        }
        var taken: [Int] = []
        #expect(throws: TranscriptionError.self) {
            while let item = try handover.take() { taken.append(item) }
        }
        #expect(taken == [1, 2, 3, 4, 5])
    }

    @Test func takenSeveralAtATimeTheItemsComeBeforeTheError() throws {
        let handover = ClipHandover<Int>()
        Thread.detachNewThread {
            for item in 1...3 { _ = handover.put(item) }
            handover.finish(throwing: TranscriptionError(.engineUnavailable, "stopped"))
        }
        #expect(try handover.take(upTo: 2) == [1, 2])
        #expect(try handover.take(upTo: 2) == [3])
        #expect(throws: TranscriptionError.self) { try handover.take(upTo: 2) }
    }

    @Test func aProducerWaitingToHandOverStopsWhenTheTakerIsGone() async throws {
        let handover = ClipHandover<Int>()
        #expect(handover.put(1))
        // The second put waits, since the first item was not taken, until the taker is gone.
        async let stopped = offThePool { handover.put(2) }
        handover.abandon()
        #expect(try await stopped == false)
    }

    @Test func theCallsTwoLegsComeBackInFullAndAnUnreadableLegIsItsOwnError() throws {
        try withScratchFolder { folder throws in
            let legs = try SpokenCall.writeLegs(to: folder)
            let engine = CountingEngine()
            let transcript = try CallTranscriber(engine: engine, denoise: .off).transcribe(legs)
            #expect(Set(transcript.segments.map(\.leg)) == [0, 1])
            #expect(transcript.segments.count == engine.clipSeconds.withLock { $0.count })

            let missing = CallRecipe.Leg(path: folder.appendingPathComponent("gone.wav").path, role: "agent")
            let after = CountingEngine()
            #expect(throws: AudioError.self) {
                try CallTranscriber(engine: after, denoise: .off).transcribe([legs[0], missing])
            }
            // The first leg was read in full before the second one's error.
            #expect(after.clipSeconds.withLock { $0.count } == transcript.segments.filter { $0.leg == 0 }.count)
        }
    }

    @Test func anEngineErrorStopsTheCutting() throws {
        try withScratchFolder { folder throws in
            let legs = try SpokenCall.writeLegs(to: folder)
            let engine = CountingEngine(failOnClip: 1)
            #expect(throws: TranscriptionError.self) {
                try CallTranscriber(engine: engine, denoise: .off).transcribe(legs)
            }
            #expect(engine.clipSeconds.withLock { $0.count } == 1)
        }
    }
}
