import AudioCore
import AudioTesting
import Foundation
import Testing

/// `callaudio prompt` as a user runs it: the sample voicemail as a disclosure, and a refusal.
@Suite struct PromptCommandTests {
    /// The sample voicemail as it is, and as an iPhone would have recorded it (AAC in an M4A file).
    @Test(arguments: ["flac", "m4a"])
    func thePromptCommandWritesTheRenditionsAndReportsThem(input: String) async throws {
        try await withScratchFolder("callaudio-prompt-cli") { folder async throws in
            let output = folder.appendingPathComponent("disclosure")
            var sample = Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac").path
            if input == "m4a" {
                let m4a = folder.appendingPathComponent("voicemail.m4a")
                try Fixtures.encodeM4A(URL(fileURLWithPath: sample), to: m4a)
                sample = m4a.path
            }
            let result = try await CLIRunner.run(
                ["prompt", sample, "--kind", "disclosure", "--output", output.path, "--denoise", "moderate", "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect(report["kind"] as? String == "disclosure")
            #expect(abs((report["activeLevel"] as? Double ?? 0) + 22) <= 1)
            let renditions = try #require(report["renditions"] as? [[String: Any]])
            #expect(
                renditions.compactMap { $0["file"] as? String }.allSatisfy {
                    FileManager.default.fileExists(atPath: output.appendingPathComponent($0).path)
                })
            #expect(renditions.count == 6)
        }
    }

    @Test func aPromptTooLongForItsKindIsOneLineAndExit65() async throws {
        try await withScratchFolder("callaudio-prompt-cli") { folder async throws in
            let input = folder.appendingPathComponent("long.wav")
            let talk = SpeechLike.talker(seconds: 18, sampleRate: 16_000, gap: 0.3)
            try Fixtures.write(.init(format: .mono(16_000), samples: talk.samples), to: input, as: .pcm16)
            let output = folder.appendingPathComponent("out")
            let result = try await CLIRunner.run(
                ["prompt", input.path, "--kind", "disclosure", "--output", output.path, "--denoise", "off"])
            #expect(result.status == 65)
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(result.stderr.contains("\(input.path): is 1"))
            #expect(result.stderr.contains("a disclosure is at most 15.0 s"))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []).isEmpty)
        }
    }

    @Test(arguments: ["silence", "noise"])
    func anInputWithNoSpeechIsRefusedNamingItAndLeavesNoFolder(content: String) async throws {
        try await withScratchFolder("callaudio-prompt-cli") { folder async throws in
            let input = folder.appendingPathComponent("\(content).wav")
            let audio =
                content == "silence"
                ? AudioChunk.silence(.mono(16_000), frames: 16_000 * 3)
                : Signals.noise(amplitude: 0.05, seconds: 3, format: .mono(16_000))
            try Fixtures.write(audio, to: input, as: .pcm16)
            let output = folder.appendingPathComponent("out")
            let result = try await CLIRunner.run(["prompt", input.path, "--kind", "greeting", "--output", output.path])
            #expect(result.status == 65)
            #expect(
                result.stderr
                    == "callaudio: \(input.path): is almost all silence (0.0 s of speech): record the prompt again\n")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }
}
