import AudioTesting
import CallAudio
import Foundation
import Testing

/// `--denoise deep` through the real binary: with DeepFilterNet3 installed (scripts/test.sh installs it), and
/// pointed at a folder without it.
@Suite struct DeepDenoiseCommandTests {
    let caller = Fixtures.packageRoot.appendingPathComponent("samples/call/caller.wav").path
    let agent = Fixtures.packageRoot.appendingPathComponent("samples/call/agent.opus").path

    @Test func deepDenoisesBothLegsOfACall() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run([
                "process", caller, agent, "--offset", "2=2.0", "--output", output.path, "--denoise", "deep",
                "--denoise-limit", "40", "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
            let mix = try Fixtures.read(output.appendingPathComponent("call.mp3"))
            #expect(abs(mix.duration - report.duration) < 0.06)
            for leg in report.legs {
                let enhancement = try #require(leg.enhancement)
                #expect(enhancement.speechShare > 0.1)
            }
        }
    }

    @Test func missingInstallationIsOneLineAndNoOutput() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run(
                ["process", caller, "--output", output.path, "--denoise", "deep"],
                environment: [DeepFilterInstallation.environmentVariable: output.appendingPathComponent("none").path])
            #expect(result.status == 65)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.contains("scripts/install-deepfilter.sh"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
        }
    }

    @Test func rejectsALimitOutOfRange() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run(["process", caller, "--output", output.path, "--denoise-limit", "0"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("Denoise limit 0.0 dB is outside 1 to 100"))
        }
    }

    /// A voicemail is heard closely: without --denoise it gets DeepFilterNet3 where it is installed, and
    /// webrtc moderate with a one-line notice where it is not (never a refused voicemail); a call keeps webrtc.
    @Test func voicemailDefaultsToDeepAndFallsBackWithANoticeWhereItIsMissing() async throws {
        try await withScratchFolder { folder async throws in
            let voicemail = VoicemailCommandTests.sample.path
            func run(_ name: String, environment: [String: String] = [:]) async throws -> (CLIRunner.Result, CallReport)
            {
                let result = try await CLIRunner.run(
                    [
                        "voicemail", voicemail, "--to", "user@example.com", "--from", "voicemail@example.com",
                        "--caller-number", "+15551234567", "--output", folder.appendingPathComponent(name).path,
                        "--json",
                    ], environment: environment)
                #expect(result.status == 0, "\(result.stderr)")
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
                let audio = try JSONSerialization.data(withJSONObject: try #require(json["audio"]))
                return (result, try JSONDecoder().decode(CallReport.self, from: audio))
            }
            let (installed, deepReport) = try await run("installed")
            #expect(deepReport.legs.map { $0.enhancement?.denoise } == [.deep])
            #expect(!installed.stderr.contains("using webrtc"))
            let missing = [DeepFilterInstallation.environmentVariable: folder.appendingPathComponent("none").path]
            let (fallback, webrtcReport) = try await run("missing", environment: missing)
            #expect(webrtcReport.legs.map { $0.enhancement?.denoise } == [.moderate])
            let notices = fallback.stderr.split(separator: "\n").filter { $0.contains("using webrtc moderate") }
            #expect(notices.count == 1, "\(fallback.stderr)")
            #expect(notices.first?.contains("scripts/install-deepfilter.sh") == true)

            let call = try await CLIRunner.run(
                ["process", caller, "--output", folder.appendingPathComponent("call").path, "--json"],
                environment: missing)
            #expect(call.status == 0, "\(call.stderr)")
            let callReport = try JSONDecoder().decode(CallReport.self, from: Data(call.stdout.utf8))
            #expect(callReport.legs.map { $0.enhancement?.denoise } == [.moderate])
            #expect(call.stderr.isEmpty, "\(call.stderr)")
        }
    }
}
