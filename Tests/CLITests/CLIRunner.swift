import AudioTesting
import Dispatch
import Foundation

/// Runs the built `callaudio` binary as a user would and captures what it prints.
struct CLIRunner {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `callaudio` binary built beside this test bundle.
    static let binary = builtBinary("callaudio")

    /// The `callaudio-server` binary built beside it.
    static let serverBinary = builtBinary("callaudio-server")

    /// The commands `callaudio-server` runs; `run` sends them there.
    static let serverCommands: Set = ["serve", "worker", "submit", "jobs", "delete", "worker-attempt"]

    private static func builtBinary(_ name: String) -> URL {
        let beside = Bundle.main.executableURL?.deletingLastPathComponent()
        let candidates =
            [beside, beside?.deletingLastPathComponent()].compactMap { $0?.appendingPathComponent(name) }
            + [Fixtures.packageRoot.appendingPathComponent(".build/debug/\(name)")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    /// A copy of `binary` in `folder`, for running it as another user who may not reach the package's
    /// folder. Copied by cp(1): a file this process opened for writing could be inherited by a child another test
    /// spawns meanwhile, and exec would then fail with "Text file busy".
    static func copyOfBinary(_ binary: URL = binary, in folder: URL) throws -> URL {
        let copy = folder.appendingPathComponent(binary.lastPathComponent)
        let run = try ExternalTool.run("/bin/cp", [binary.path, copy.path])
        guard run.status == 0 else { throw Fixtures.FixtureError(message: "cannot copy the binary: \(run.stderr)") }
        return copy
    }

    /// At most this many runs at once: the suite's other tests go on meanwhile, on a machine of few cores.
    private static let slots = DispatchSemaphore(value: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `binary` (by default the one whose command `arguments` begins with: `callaudio-server` for the
    /// service and the queue, else `callaudio`) with `arguments`, in `directory` when given (else the test's
    /// working folder), in this process's environment with `environment` added; waits off Swift concurrency's
    /// threads (`offThePool`).
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], binary: URL? = nil
    ) async throws -> Result {
        let chosen = binary ?? (serverCommands.contains(arguments.first ?? "") ? serverBinary : Self.binary)
        return try await offThePool {
            slots.wait()
            defer { slots.signal() }
            return try runBlocking(chosen, arguments, in: directory, environment: environment)
        }
    }

    private static func runBlocking(
        _ binary: URL, _ arguments: [String], in directory: URL?, environment: [String: String]
    ) throws -> Result {
        let run = try ExternalTool.run(binary.path, arguments, environment: environment, in: directory)
        return Result(status: run.status, stdout: run.stdout, stderr: run.stderr)
    }
}
