import AudioTesting
import Foundation
import Testing

/// Every numeric option refuses absurd values (huge, negative, NaN, infinite) with exit 64 naming the flag,
/// before any work starts: nothing traps and nothing is written.
@Suite struct OptionRangeTests {
    let samples = Fixtures.packageRoot.appendingPathComponent("samples")

    @Test(arguments: [
        ["worker", "--lease-seconds", "1e308"], ["worker", "--poll-seconds", "1e308"],
        ["worker", "--grace-seconds", "1e308"], ["worker", "--lease-seconds", "nan"],
        ["worker", "--poll-seconds", "0"], ["worker", "--grace-seconds", "-1"], ["worker", "--workers", "0"],
        ["worker", "--workers", "100000000"], ["jobs", "list", "--limit", "-5"],
        ["submit", "LEG", "--output", "OUT", "--max-attempts", "1000000000"],
        ["submit", "LEG", "--output", "OUT", "--priority", "9223372036854775807"],
        ["encode", "LEG", "--output", "OUT", "--jobs", "0"],
        ["process", "LEG", "--output", "OUT", "--offset", "2=1e300"],
        ["process", "LEG", "LEG", "--output", "OUT", "--offset", "2=-100000"],
    ])
    func absurdNumbersAreUsageErrors(arguments: [String]) async throws {
        try await withScratchFolder("options") { scratch async throws in
            let leg = samples.appendingPathComponent("voicemail.flac").path
            let output = scratch.appendingPathComponent("out").path
            var full = arguments.map { $0 == "LEG" ? leg : $0 == "OUT" ? output : $0 }
            if ["worker", "jobs", "submit"].contains(arguments[0]) {
                full += ["--queue", "sqlite:\(scratch.appendingPathComponent("jobs.db").path)"]
            }
            let result = try await CLIRunner.run(full)
            #expect(result.status == 64, "\(full): \(result.stderr)")
            let flag = try #require(arguments.last { $0.hasPrefix("--") })
            #expect(result.stderr.contains(flag), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("jobs.db").path))
        }
    }

    @Test(arguments: ["process", "encode"])
    func anEmptyOutputIsRefused(command: String) async throws {
        try await withScratchFolder("empty-output") { folder async throws in
            let leg = folder.appendingPathComponent("leg.wav")
            try Fixtures.write(Signals.sine(440, seconds: 1, format: .mono(8_000)), to: leg, as: .pcm16)
            let result = try await CLIRunner.run([command, leg.path, "--output", ""], in: folder)
            #expect(result.status == 64)
            #expect(result.stderr.contains("--output must name a folder"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["leg.wav"])
        }
    }
}
