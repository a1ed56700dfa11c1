import AudioCore
import AudioTesting
import CallAudio
import Foundation
import Synchronization
import Testing

/// A run's outputs appear together or not at all: made in a staging folder, published last, and only while the
/// run may still publish.
/// A class, so that `deinit` removes each test's scratch folder.
@Suite final class OutputPublicationTests {
    let folder: URL
    let leg: URL

    init() throws {
        folder = try Fixtures.scratchFolder("callaudio-publication")
        leg = folder.appendingPathComponent("leg.wav")
        try Fixtures.write(Signals.sine(440, seconds: 2, format: .mono(8_000)), to: leg, as: .pcm16)
    }

    deinit { Fixtures.removeScratchFolder(folder) }

    func recipe(in output: URL) -> CallRecipe {
        CallRecipe(legs: [.init(path: leg.path)], outputDirectory: output.path, enhancement: Enhancement(speeds: [1.5]))
    }

    /// Every name in `folder`, hidden ones too, with the bytes of each file (nil for a folder).
    func contents(of folder: URL) throws -> [String: Data?] {
        var contents: [String: Data?] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            contents[name] = try? Data(contentsOf: folder.appendingPathComponent(name))
        }
        return contents
    }

    @Test func aReportThatCannotTakeItsNameLeavesNoOtherOutput() throws {
        let output = folder.appendingPathComponent("out")
        // A folder where the report belongs: the last rename fails, after the audio's has succeeded.
        try FileManager.default.createDirectory(
            at: output.appendingPathComponent("call.json/taken"), withIntermediateDirectories: true)
        let error = try #require(throws: AudioError.self) { try CallProcessor().run(recipe(in: output)) }
        #expect(error.code == .writeFailed)
        #expect(error.path == output.appendingPathComponent("call.json").path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == ["call.json"])
    }

    @Test func aRunRefusedAtPublishingLeavesTheEarlierOutputsAsTheyWere() throws {
        let output = folder.appendingPathComponent("out")
        let first = try CallProcessor().run(recipe(in: output))
        #expect(first.outputs.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["call.mp3", "call-1.5x.mp3"])
        #expect(first.waveform == output.appendingPathComponent("call.waveform.json").path)
        let before = try contents(of: output)
        #expect(before.keys.sorted() == ["call-1.5x.mp3", "call.json", "call.mp3", "call.waveform.json"])

        let asked = Counter()
        let refusing = CancellationFlag(confirmPublishing: {
            asked.increment()
            return false
        })
        let error = try #require(throws: AudioError.self) {
            try CallProcessor(cancellation: refusing).run(recipe(in: output))
        }
        #expect(error.code == .cancelled)
        #expect(asked.value == 1)
        #expect(try contents(of: output) == before)
    }

    @Test func aPublishedReportNamesTheFilesWhereTheyAre() throws {
        let output = folder.appendingPathComponent("out")
        let report = try CallProcessor().run(recipe(in: output))
        for path in report.outputs.map(\.path) + [report.waveform].compactMap({ $0 }) {
            #expect(URL(fileURLWithPath: path).deletingLastPathComponent().path == output.path)
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
        let written = try CallReport.read(from: output.appendingPathComponent("call.json").path)
        #expect(written.outputs == report.outputs)
        #expect(written.waveform == report.waveform)
    }
}

/// Counts calls from any thread.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
