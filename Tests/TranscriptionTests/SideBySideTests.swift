import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Synchronization
import Testing

@testable import CallTranscription

/// An engine that takes several clips at once is given them side by side, and what it heard comes back in order.
@Suite struct SideBySideTests {
    /// An engine that hears each clip's length (in tenths of a second) as its text, fails on the lengths it is told
    /// to, and, when asked to, holds its first clip until a second one is in its hands (up to 30 s, after which it
    /// notes that none came), so that a test sees whether clips really were given at once.
    final class PairingEngine: ConcurrentTranscriber {
        let engineName = "pairing"
        let modelName = "none"
        let longestClip = 0.0
        let clipsAtOnce: Int
        let failingTenths: Set<Int>
        private let condition = NSCondition()
        private let calls = Mutex(0)
        private let waitsForPair: Bool
        private let paired = Mutex(false)

        init(clipsAtOnce: Int, waitsForPair: Bool = false, failingTenths: Set<Int> = []) {
            self.clipsAtOnce = clipsAtOnce
            self.waitsForPair = waitsForPair
            self.failingTenths = failingTenths
        }

        /// Whether a second clip came while the first was in the engine's hands.
        var firstClipWasPaired: Bool { paired.withLock { $0 } }

        func transcribe(_ clip: SpeechClip) throws -> [RecognizedSpeech] {
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            if waitsForPair {
                condition.withLock {
                    if call == 2 {
                        paired.withLock { $0 = true }
                        condition.broadcast()
                    }
                    let deadline = Date().addingTimeInterval(30)
                    while call == 1 && !paired.withLock({ $0 }) && condition.wait(until: deadline) {}
                }
            }
            let tenths = Int((clip.duration * 10).rounded())
            if failingTenths.contains(tenths) { throw TranscriptionError(.engineUnavailable, "clip of \(tenths)") }
            return [RecognizedSpeech(start: 0, end: clip.duration, text: "\(tenths)")]
        }
    }

    @Test func clipsGoTwoAtATimeAndComeBackInOrder() throws {
        try withScratchFolder { folder throws in
            let legs = try SpokenCall.writeLegs(to: folder)
            // Each sentence is a clip of its own (longestClip 0): three clips, two at once and then one.
            let sideBySide = PairingEngine(clipsAtOnce: 2, waitsForPair: true)
            let transcript = try CallTranscriber(engine: sideBySide, denoise: .off).transcribe(legs)
            let oneByOne = try CallTranscriber(engine: PairingEngine(clipsAtOnce: 1), denoise: .off).transcribe(legs)
            #expect(sideBySide.firstClipWasPaired)
            #expect(transcript == oneByOne)
            #expect(transcript.segments.map(\.leg) == SpokenCall.lines.map(\.leg))
        }
    }

    @Test func whatWasHeardKeepsTheClipsOrderAndTheFirstFailureInOrderIsTheError() throws {
        let clips = [3, 1, 2].map {
            SpeechClip(start: 0, samples: [Float](repeating: 0, count: 1_600 * $0), language: "en")
        }
        let heard = try SideBySide.recognize(clips, by: PairingEngine(clipsAtOnce: 3))
        #expect(heard.map { $0.map(\.text) } == [["3"], ["1"], ["2"]])
        do {
            _ = try SideBySide.recognize(clips, by: PairingEngine(clipsAtOnce: 3, failingTenths: [1, 2]))
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("clip of 1"), "\(error)")
        }
    }
}
