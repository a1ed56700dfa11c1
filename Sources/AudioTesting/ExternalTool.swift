import Foundation

/// Runs a program to its end: a tool the tests use as an independent reference or generator (ffmpeg, ffprobe,
/// a Python script), or the package's own command lines.
public enum ExternalTool {
    /// What a program run printed, and how it exited.
    public struct Run: Sendable {
        /// The exit status, 128 + the signal when a signal ended the program.
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `program` with `arguments` (in this process's environment with `environment` added, in `directory`
    /// when given, `input` on its standard input) and returns what it printed.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil,
        input: Data? = nil
    ) throws -> Run {
        let files = FileManager.default.temporaryDirectory.appendingPathComponent("callaudio-run-\(UUID().uuidString)")
        let (stdin, stdout, stderr) = (
            files.appendingPathExtension("in"), files.appendingPathExtension("out"), files.appendingPathExtension("err")
        )
        defer { for file in [stdin, stdout, stderr] { try? FileManager.default.removeItem(at: file) } }
        if let input { try input.write(to: stdin) }
        let status = try ChildProcess(
            program, arguments, log: stdout, errorLog: stderr, environment: environment, directory: directory,
            input: input == nil ? nil : stdin
        ).wait()
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return Run(status: status, stdout: read(stdout), stderr: read(stderr))
    }

    /// The program's standard output, trimmed; a failure throws with what it said on standard error.
    public static func output(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> String
    {
        let result = try run(program, arguments, environment: environment)
        guard result.status == 0 else {
            throw Fixtures.FixtureError(
                message: "\(program) \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
