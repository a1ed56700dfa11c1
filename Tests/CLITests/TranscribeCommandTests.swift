import AudioTesting
import Foundation
import Testing

@Suite struct TranscribeCommandTests {
    /// The bundled two-leg call, transcribed with the embedded engine: four files, one speaker per leg.
    @Test func writesTheFourTranscriptFilesWithEachLegsSpeaker() async throws {
        try await withScratchFolder { folder async throws in
            let samples = Fixtures.packageRoot.appendingPathComponent("samples/call")
            let result = try await CLIRunner.run([
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
    }

    /// `process --transcribe`: the audio first, then the transcript, recorded in call.json. With no engine given
    /// and no server set, the embedded Moonshine engine (scripts/test.sh installs it).
    @Test func processRecordsTheTranscriptInTheReport() async throws {
        try await withScratchFolder { folder async throws in
            let result = try await CLIRunner.run([
                "process", Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac").path, "--roles",
                "caller", "--transcribe", "--output", folder.path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("embedded Moonshine engine"))
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("call.json")))
                    as? [String: Any])
            let transcript = try #require(report["transcript"] as? [String: Any])
            #expect(transcript["engine"] as? String == "moonshine")
            #expect((transcript["wordCount"] as? Int ?? 0) > 3)
            #expect((transcript["speed"] as? Double ?? 0) > 0)
            for key in ["json", "vtt", "srt", "text"] {
                let path = try #require(transcript[key] as? String)
                #expect(FileManager.default.fileExists(atPath: path), "\(key): \(path)")
            }
            let text = try String(contentsOf: folder.appendingPathComponent("call.txt"), encoding: .utf8)
            #expect(text.split(separator: "\n").allSatisfy { $0.contains("] Caller: ") })
        }
    }

    @Test func unknownEngineIsAUsageError() async throws {
        let result = try await CLIRunner.run(["transcribe", "x.wav", "--transcriber", "ftp://host", "--output", "/tmp"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--transcriber ftp://host"))
    }

    @Test func missingFileIsBadInputAndWritesNothing() async throws {
        try await withScratchFolder { folder async throws in
            let result = try await CLIRunner.run(["transcribe", "/nonexistent/leg.wav", "--output", folder.path])
            #expect(result.status == 65)
            #expect(result.stderr.contains("/nonexistent/leg.wav"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }
}
