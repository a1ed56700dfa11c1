import AudioTesting
import CallAudio
import Foundation
import Testing

/// The DSP flags of `process` and the `speed` command, through the real binary.
@Suite struct EnhancementCommandTests {
    let caller = Fixtures.packageRoot.appendingPathComponent("samples/call/caller.wav").path
    let agent = Fixtures.packageRoot.appendingPathComponent("samples/call/agent.opus").path

    @Test func processWritesSpeedCopiesAndLevelsTheLegs() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run([
                "process", caller, agent, "--offset", "2=2.0", "--output", output.path, "--speeds", "1.5,2",
                "--denoise", "high", "--loudness=-20", "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
            #expect(
                report.outputs.map { URL(fileURLWithPath: $0.path).lastPathComponent }
                    == ["call.mp3", "call-1.5x.mp3", "call-2x.mp3"])
            for (copy, speed) in zip(report.outputs.dropFirst(), [1.5, 2.0]) {
                let decoded = try Fixtures.read(URL(fileURLWithPath: copy.path))
                #expect(abs(decoded.duration - report.duration / speed) <= report.duration / speed * 0.005 + 0.03)
            }
            for leg in report.legs {
                #expect(abs(try #require(leg.enhancement?.loudnessAfterLUFS) - -20) <= 1)
            }
        }
    }

    @Test func loudnessOffLeavesTheLegsLevelsAlone() async throws {
        try await withScratchFolder { output async throws in
            let result = try await CLIRunner.run([
                "process", caller, "--output", output.path, "--loudness", "off", "--denoise", "off", "--json",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let report = try JSONDecoder().decode(CallReport.self, from: Data(result.stdout.utf8))
            #expect(report.legs[0].enhancement?.loudnessAfterLUFS == nil)
            #expect(report.legs[0].enhancement?.speechShare ?? 0 > 0.1)
        }
    }

    @Test func speedRendersOneFileAtTheRate() async throws {
        try await withScratchFolder { scratch async throws in
            let output = scratch.appendingPathComponent("fast.wav")
            let result = try await CLIRunner.run(["speed", caller, "--rate", "2", "--output", output.path])
            #expect(result.status == 0, "\(result.stderr)")
            let input = try Fixtures.read(URL(fileURLWithPath: caller))
            let fast = try Fixtures.read(output)
            #expect(abs(fast.duration - input.duration / 2) <= input.duration / 2 * 0.005)
        }
    }

    @Test func badFlagsExitWith64() async throws {
        try await withScratchFolder { output async throws in
            for arguments in [
                ["speed", caller, "--rate", "5", "--output", output.appendingPathComponent("x.mp3").path],
                ["speed", caller, "--rate", "2", "--output", output.appendingPathComponent("x.ogg").path],
                ["process", caller, "--output", output.path, "--speeds", "0.1"],
                ["process", caller, "--output", output.path, "--loudness", "loud"],
                ["process", caller, "--output", output.path, "--denoise", "max"],
                ["process", caller, "--output", output.path, "--echo-cancel"],
            ] {
                #expect(try await CLIRunner.run(arguments).status == 64, "\(arguments)")
            }
        }
    }

    @Test func helpDescribesTheDSPFlags() async throws {
        let help = try await CLIRunner.run(["process", "--help"]).stdout
        for flag in ["--denoise", "--no-high-pass", "--echo-cancel", "--loudness <LUFS|off>", "--speeds"] {
            #expect(help.contains(flag), "\(flag)")
        }
    }
}
