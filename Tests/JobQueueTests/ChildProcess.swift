import Foundation

@testable import CallAudioJobs

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn` and reaped with `waitpid`, its output appended to log files.
///
/// The tests use this rather than Foundation's `Process`, whose exit monitoring has been seen to leave a
/// child unreaped (and the waiter hanging) when many run at once.
struct ChildProcess: Sendable {
    let pid: pid_t
    let log: URL

    /// Starts `executable` with `arguments` in this process's environment with `environment` added; standard
    /// output goes to `log`, standard error to `errorLog` (to `log` too when nil).
    init(
        _ executable: String, _ arguments: [String], log: URL, errorLog: URL? = nil, environment: [String: String] = [:]
    ) throws {
        // A worker left behind by a failing test must not hold open what swift-test reads the output from, or
        // the whole run waits for it instead of failing.
        AttemptProcess.keepDescriptorsFromChildren()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorLog {
            posix_spawn_file_actions_addopen(&actions, 2, errorLog.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for variable in envp { free(variable) } }
        let status = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard status == 0 else { throw TestError("cannot start \(executable): \(String(cString: strerror(status)))") }
        self.pid = pid
        self.log = log
    }

    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the process to end and returns its exit status (128 + signal when a signal ended it).
    @discardableResult
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Runs a tool to its end and returns its exit status and what it printed on each stream.
    static func output(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("callaudio-\(UUID().uuidString)")
        let out = base.appendingPathExtension("out")
        let err = base.appendingPathExtension("err")
        defer { for file in [out, err] { try? FileManager.default.removeItem(at: file) } }
        let status = try ChildProcess(executable, arguments, log: out, errorLog: err, environment: environment).wait()
        let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return (status, read(out), read(err))
    }

    /// Runs a tool to its end and throws with its output when it fails.
    static func run(_ executable: String, _ arguments: [String]) throws {
        let result = try output(executable, arguments)
        guard result.status == 0 else {
            throw TestError(
                "\(executable) \(arguments.joined(separator: " ")) exited with \(result.status): \(result.stderr)")
        }
    }
}
