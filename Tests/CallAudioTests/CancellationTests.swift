import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Testing

/// A cancelled run stops at the next chunk and leaves nothing in its output folder: no final name, no hidden
/// temporary file.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class CancellationTests {
    let folder: URL

    init() throws { folder = try Fixtures.scratchFolder() }

    deinit { Fixtures.removeScratchFolder(folder) }

    private func contents(of output: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
    }

    @Test func aCallCancelledPartWayStopsAndPublishesNothing() throws {
        let leg = folder.appendingPathComponent("long.wav")
        try Fixtures.write(Signals.speechLike(seconds: 20, format: .mono(8_000)), to: leg, as: .pcm16)
        let output = folder.appendingPathComponent("out")
        let flag = CancellationFlag()
        let lastProgress = LastValue()
        let processor = CallProcessor(
            progress: { fraction in
                lastProgress.set(fraction)
                if fraction >= 0.2 { flag.cancel() }
            }, cancellation: flag)
        let recipe = CallRecipe(
            legs: [.init(path: leg.path)], outputDirectory: output.path, enhancement: Enhancement(speeds: [1.5, 2]))
        let error = try #require(throws: AudioError.self) { try processor.run(recipe) }
        #expect(error.code == .cancelled)
        #expect(lastProgress.value < 0.3, "stopped within a chunk or two of the cancel")
        #expect(contents(of: output).isEmpty, "left behind: \(contents(of: output))")
    }

    @Test func aCancelledReencodePublishesNothing() throws {
        let input = folder.appendingPathComponent("in.wav")
        try Fixtures.write(Signals.speechLike(seconds: 5, format: .mono(8_000)), to: input, as: .pcm16)
        let output = folder.appendingPathComponent("encoded")
        let flag = CancellationFlag()
        flag.cancel()
        let recipe = EncodeRecipe(
            input: input.path, output: output.appendingPathComponent("in.mp3").path, encoding: Encoding())
        let error = try #require(throws: AudioError.self) { try FileEncoder(cancellation: flag).run(recipe) }
        #expect(error.code == .cancelled)
        #expect(contents(of: output).isEmpty, "left behind: \(contents(of: output))")
    }
}

/// The last value a callback saw, readable from the test.
private final class LastValue: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0.0
    var value: Double { lock.withLock { stored } }
    func set(_ value: Double) { lock.withLock { stored = value } }
}
