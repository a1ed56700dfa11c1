import AudioTesting
import CallAudio
import Foundation
import Testing

/// `--denoise deep` through the real binary: with DeepFilterNet3 installed (scripts/test.sh installs it), and
/// pointed at a folder without it.
@Suite struct DeepDenoiseCommandTests {
    let caller = CLIRunner.packageRoot.appendingPathComponent("samples/call/caller.wav").path
    let agent = CLIRunner.packageRoot.appendingPathComponent("samples/call/agent.opus").path

    @Test func deepDenoisesBothLegsOfACall() throws {
        let output = try Fixtures.scratchFolder()
        let result = try CLIRunner.run([
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

    @Test func missingInstallationIsOneLineAndNoOutput() throws {
        let output = try Fixtures.scratchFolder()
        let result = try CLIRunner.run(
            ["process", caller, "--output", output.path, "--denoise", "deep"],
            environment: [DeepFilterInstallation.environmentVariable: output.appendingPathComponent("none").path])
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("scripts/install-deepfilter.sh"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }

    @Test func rejectsALimitOutOfRange() throws {
        let output = try Fixtures.scratchFolder()
        let result = try CLIRunner.run(["process", caller, "--output", output.path, "--denoise-limit", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Denoise limit 0.0 dB is outside 1 to 100"))
    }
}
