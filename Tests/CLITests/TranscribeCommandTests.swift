import AudioTesting
import Foundation
import Testing

@Suite struct TranscribeCommandTests {
    /// The bundled two-leg call, transcribed with the embedded engine: four files, one speaker per leg.
    @Test func writesTheFourTranscriptFilesWithEachLegsSpeaker() throws {
        let folder = try Fixtures.scratchFolder()
        let samples = CLIRunner.packageRoot.appendingPathComponent("samples/call")
        let result = try CLIRunner.run([
            "transcribe", samples.appendingPathComponent("caller.wav").path,
            samples.appendingPathComponent("agent.opus").path, "--roles", "caller,agent", "--transcriber",
            "pocketsphinx", "--output", folder.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("callaudio: transcribing with pocketsphinx\n"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["call.srt", "call.transcript.json", "call.txt", "call.vtt"])
        let lines = try String(contentsOf: folder.appendingPathComponent("call.txt"), encoding: .utf8)
            .split(separator: "\n")
        #expect(!lines.isEmpty)
        let speakers = Set(lines.compactMap { $0.split(separator: " ").dropFirst().first })
        #expect(speakers == ["Caller:", "Agent:"])
        #expect(lines.allSatisfy { $0.wholeMatch(of: /\[\d\d:\d\d:\d\d\] (Caller|Agent): .+/) != nil })
    }

    @Test func unknownEngineIsAUsageError() throws {
        let result = try CLIRunner.run(["transcribe", "x.wav", "--transcriber", "ftp://host", "--output", "/tmp"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--transcriber ftp://host"))
    }

    @Test func missingFileIsBadInputAndWritesNothing() throws {
        let folder = try Fixtures.scratchFolder()
        let result = try CLIRunner.run(["transcribe", "/nonexistent/leg.wav", "--output", folder.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("/nonexistent/leg.wav"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
