import Foundation

/// A server for one test suite, run as a child process that prints the port it listens on as its first line
/// and serves until its standard input closes (when the test process ends, however it ends).
public final class ScriptedServer: Sendable {
    /// The loopback port the server printed.
    public let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts `executable` with `arguments` and waits for the port line.
    /// - Throws: when the program cannot start or prints no port.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            throw CocoaError(
                .fileReadCorruptFile,
                userInfo: [NSLocalizedDescriptionKey: "\(executable) \(arguments.first ?? "") did not start a server"])
        }
        self.port = port
    }
}
