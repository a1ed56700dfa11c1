import AudioCore
import AudioTesting
import Foundation
import Testing

@testable import CallAudio

@Suite struct EchoCancellationTests {
    let format = AudioFormat.mono(16_000)
    let rate = 16_000

    /// Leg A (the far end) talks in turns; leg B carries its own talker in A's gaps plus A's voice played by a
    /// speakerphone and picked up again 40 ms later through a small room response.
    func call() -> (a: [Float], b: [Float], bOwn: [Float], aOnly: [Range<Int>], bOnly: [Range<Int>]) {
        let seconds = 14.0
        let a = SpeechLike.talker(
            seconds: seconds, sampleRate: rate, fundamental: 120, spurt: 1.2, gap: 1.2, start: 0.2)
        let aNoise = SpeechLike.whiteNoise(count: a.samples.count, dBFS: -55, seed: 11)
        let far = zip(a.samples, aNoise).map(+)
        let b = SpeechLike.talker(
            seconds: seconds, sampleRate: rate, fundamental: 210, spurt: 1.0, gap: 1.4, start: 1.5)
        let delay = 40 * rate / 1_000
        let room: [(lag: Int, gain: Float)] = [(0, 0.5), (23, -0.2), (57, 0.1), (131, -0.05)]
        var echo = [Float](repeating: 0, count: far.count)
        for n in 0..<far.count {
            for tap in room where n - delay - tap.lag >= 0 { echo[n] += tap.gain * far[n - delay - tap.lag] }
        }
        let near = (0..<far.count).map { echo[$0] + b.samples[$0] }
        let margin = 2_400
        func shrink(_ ranges: [Range<Int>]) -> [Range<Int>] {
            ranges.compactMap { $0.count > 2 * margin ? ($0.lowerBound + margin)..<($0.upperBound - margin) : nil }
        }
        // Where only A talks (its echo alone in B), after the canceller's first three seconds of learning,
        // and where only B talks.
        let bBusy = Set(b.spurts.flatMap { Array(($0.lowerBound - delay)..<($0.upperBound + delay)) })
        let aOnly = shrink(a.spurts).filter {
            $0.lowerBound > 3 * rate && !bBusy.contains($0.lowerBound) && !bBusy.contains($0.upperBound)
        }
        let bOnly = shrink(b.spurts)
        return (far, near, b.samples, aOnly, bOnly)
    }

    @Test func removesTheOtherLegsEchoAndKeepsOwnSpeech() throws {
        let (a, b, bOwn, aOnly, bOnly) = call()
        #expect(!aOnly.isEmpty && !bOnly.isEmpty)
        let reference = EchoReference(replay(a, format: format, chunkFrames: 480), lead: 0)
        let canceller = try NoiseSuppressor(format: format, level: .off, echoReference: reference)
        let output = try run(canceller, b, format: format, chunkFrames: 480)
        let echoDrop = Level.dBFS(b, over: aOnly) - Level.dBFS(output, over: aOnly)
        let ownChange = Level.dBFS(output, over: bOnly) - Level.dBFS(bOwn, over: bOnly)
        #expect(echoDrop >= 20, "echo reduced by \(echoDrop) dB")
        #expect(abs(ownChange) <= 1, "own speech changed by \(ownChange) dB")
    }

    @Test func alignsTheReferenceByTheLegsOffsets() throws {
        let a = (0..<1_000).map { Float($0) }
        let later = EchoReference(replay(a, format: format, chunkFrames: 7), lead: 0.01)
        #expect(try later.next(3) == [160, 161, 162])
        let earlier = EchoReference(replay(a, format: format, chunkFrames: 7), lead: -0.01)
        #expect(try earlier.next(161) == [Float](repeating: 0, count: 160) + [0])
        #expect(try earlier.next(2) == [1, 2])
        let short = EchoReference(replay([1, 2], format: format, chunkFrames: 7), lead: 0)
        #expect(try short.next(4) == [1, 2, 0, 0])
    }

    @Test func sameOutputWhateverTheChunking() throws {
        let (a, b, _, _, _) = call()
        let near = AudioChunk(format: format, samples: Array(b.prefix(5 * rate)))
        let difference = try ChunkBoundaryVerifier.maximumDifference(near) {
            let reference = EchoReference(replay(a, format: format, chunkFrames: 333), lead: 0)
            return try NoiseSuppressor(format: format, level: .moderate, echoReference: reference)
        }
        #expect(difference == 0)
    }

    /// webrtc's echo canceller shares tables between instances; creating one while another works must not
    /// change the other's output (it did, by up to 1e-4, before `CAudioProcessing` serialised creation).
    @Test func concurrentCancellersMatchOneAlone() throws {
        let (a, b, _, _, _) = call()
        let far = Array(a.prefix(4 * rate))
        let near = Array(b.prefix(4 * rate))
        let format = self.format
        @Sendable func cancel() throws -> [Float] {
            let reference = EchoReference(replay(far, format: format, chunkFrames: 333), lead: 0)
            let canceller = try NoiseSuppressor(format: format, level: .moderate, echoReference: reference)
            return try run(canceller, near, format: format, chunkFrames: 160)
        }
        let alone = try cancel()
        let differences = Differences()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            differences.add((try? cancel()).map { maxDifference($0, alone) } ?? .infinity)
        }
        #expect(differences.all == [Float](repeating: 0, count: 8))
    }
}

/// Differences collected from several threads.
private final class Differences: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var values: [Float] = []

    func add(_ value: Float) { lock.withLock { values.append(value) } }
    var all: [Float] { lock.withLock { values } }
}
