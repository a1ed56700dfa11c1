import AudioTesting
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// One recording gives one transcript whichever way it is sent: `callaudio process --transcribe`, and the queue's
/// workers running it as a call or as a voicemail (as the service's uploads are run), with the same Whisper server.
@Suite struct SameTranscriptTests {
    /// Each segment of `folder/call.transcript.json` as "start speaker: text".
    static func segments(in folder: URL) throws -> [String] {
        let data = try Data(contentsOf: folder.appendingPathComponent("call.transcript.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let segments = try #require(json["segments"] as? [[String: Any]])
        return segments.map { segment in
            let start = (segment["start"] as? Double).map { String(format: "%.2f", $0) } ?? "?"
            return "\(start) \(segment["speaker"] ?? "?"): \(segment["text"] ?? "")"
        }
    }

    @Test func theCLIAndTheQueuesWorkersWriteTheSameWords() async throws {
        try await withScratchFolder { folder async throws in
            let server = try await offThePool { try WhisperTestServer.baseURL() }
            let voicemail = Fixtures.packageRoot.appendingPathComponent("samples/voicemail.flac").path
            let direct = try await CLIRunner.run([
                "process", voicemail, "--roles", "caller", "--transcribe", "--transcriber", server, "--output",
                folder.appendingPathComponent("cli").path,
            ])
            #expect(direct.status == 0, "\(direct.stderr)")

            let queue = "sqlite:" + folder.appendingPathComponent("jobs.db").path
            for kind in ["call", "voicemail"] {
                let submitted = try await CLIRunner.run([
                    "submit", "--queue", queue, "--kind", kind, "--call-id", kind, "--roles", "caller", "--transcribe",
                    "--transcriber", server, "--output", folder.appendingPathComponent(kind).path, voicemail,
                ])
                #expect(submitted.status == 0, "\(submitted.stderr)")
            }
            let worker = try ChildProcess(
                CLIRunner.serverBinary.path, ["worker", "--queue", queue, "--poll-seconds", "0.05"],
                log: folder.appendingPathComponent("worker.log"))
            defer {
                worker.signal(SIGTERM)
                _ = worker.wait()
            }
            let transcripts = ["call", "voicemail"].map {
                folder.appendingPathComponent($0).appendingPathComponent("call.transcript.json")
            }
            try await eventually(timeout: .seconds(300), "both queued transcripts") {
                transcripts.allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
            }

            let expected = try Self.segments(in: folder.appendingPathComponent("cli"))
            #expect(expected.joined().contains("Sam from Acme"), "\(expected)")
            for kind in ["call", "voicemail"] {
                #expect(try Self.segments(in: folder.appendingPathComponent(kind)) == expected, "as a queued \(kind)")
            }
        }
    }
}
