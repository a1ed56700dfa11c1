import AudioTesting
import CallAudio
import Foundation
import Testing

@Suite struct ProcessCommandTests {
    let samples = Fixtures.packageRoot.appendingPathComponent("samples")

    @Test func processesTheBundledCallIntoAnMP3AndAReport() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run([
                "process", samples.appendingPathComponent("call/caller.wav").path,
                samples.appendingPathComponent("call/agent.opus").path, "--offset", "2=2.0", "--roles", "caller,agent",
                "--call-id", "demo", "--output", output.path, "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
            #expect(report.legs.map(\.completeness) == [.whole, .whole])
            #expect(report.legs.map(\.role) == ["caller", "agent"])
            #expect(abs(report.duration - max(report.legs[0].duration, 2 + report.legs[1].duration)) < 0.01)
            let mp3 = output.appendingPathComponent("call.mp3")
            let decoded = try Fixtures.read(mp3)
            #expect(decoded.format == .mono(16_000))
            #expect(abs(decoded.duration - report.duration) < 0.030)
            #expect(try MP3Inspector(mp3).textFrames["TXXX:CALL_ID"] == "demo")
            // Both voices are audible: the agent speaks first, from 2.5 s on; the caller from 0 s.
            #expect(Measure.rmsDBFS(decoded.samples[0..<16_000]) > -40)
            #expect(Measure.rmsDBFS(decoded.samples[80_000..<112_000]) > -40)
            #expect(try Data(contentsOf: output.appendingPathComponent("call.json")).count > 0)
        }
    }

    /// The bundled call with its agent leg as an iPhone would have recorded it: AAC in an M4A file.
    @Test func mixesACallWithAnM4ALeg() async throws {
        try await withScratchFolder { output async throws in
            let agent = output.appendingPathComponent("agent.m4a")
            try Fixtures.encodeM4A(samples.appendingPathComponent("call/agent.opus"), to: agent)
            let result = try await CLIRunner.run([
                "process", samples.appendingPathComponent("call/caller.wav").path, agent.path, "--offset", "2=2.0",
                "--output", output.appendingPathComponent("out").path, "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "FFmpeg's log stays quiet: \(result.stderr)")
            let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
            #expect(report.legs.map(\.completeness) == [.whole, .whole])
            #expect(report.legs[1].format == "MP4 / AAC LC")
            #expect(report.legs[1].sampleRate == 48_000)
            #expect(abs(report.duration - max(report.legs[0].duration, 2 + report.legs[1].duration)) < 0.01)
            let decoded = try Fixtures.read(output.appendingPathComponent("out/call.mp3"))
            #expect(abs(decoded.duration - report.duration) < 0.030)
            #expect(Measure.rmsDBFS(decoded.samples[80_000..<112_000]) > -40, "the agent speaks from 2.5 s on")
        }
    }

    @Test func badInputIsOneLineNamingTheFileWithExitStatus65AndNoOutput() async throws {
        try await withScratchFolder { output async throws in
            let bad = output.appendingPathComponent("notes.wav")
            try Data("not audio".utf8).write(to: bad)
            let result = try await CLIRunner.run([
                "process", bad.path, "--output", output.appendingPathComponent("out").path,
            ])
            #expect(result.status == 65)
            #expect(result.stderr == "callaudio: \(bad.path): not a readable audio file (Format not recognised.)\n")
            #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("out/call.mp3").path))
        }
    }

    @Test func optionsThatContradictEachOtherAreRefusedWithExitStatus64() async throws {
        let leg = samples.appendingPathComponent("voicemail.flac").path
        for arguments in [
            ["--layout", "stereo"], ["--offset", "3=1.0"], ["--sample-rate", "12345"],
            ["--bitrate", "32", "--vbr-quality", "2"],
            ["--sample-rate", "48000", "--bitrate", "32"],
        ] {
            let result = try await CLIRunner.run(["process", leg, "--output", "/tmp/unused"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Error:"))
        }
    }

    /// The OPTIONS section of a help text as (option, explanation) pairs; explanations may wrap onto later lines.
    static func optionEntries(_ help: String) -> [(String, String)] {
        guard let section = help.components(separatedBy: "OPTIONS:").last else { return [] }
        var entries: [(String, String)] = []
        for line in section.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  -") {
                let parts = text.components(separatedBy: "  ").filter { !$0.isEmpty }
                entries.append((parts[0], parts.dropFirst().joined(separator: " ")))
            } else if !entries.isEmpty {
                entries[entries.count - 1].1 += " " + text
            }
        }
        return entries
    }

    @Test(arguments: ["process", "encode"])
    func helpExplainsEveryOptionWithAnExample(command: String) async throws {
        let result = try await CLIRunner.run([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"))
        let entries = Self.optionEntries(result.stdout)
        #expect(entries.count >= 6)
        for (option, help) in entries where option != "-h, --help" {
            #expect(help.split(separator: " ").count >= 3, "\(command) \(option) has no explanation")
        }
    }
}
