import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A program a test starts: spawned with `posix_spawn` and reaped with `waitpid`, its standard streams in files.
///
/// Every program the tests run goes through here (`ExternalTool` runs one to its end), rather than through
/// Foundation's `Process`, whose exit monitoring has been seen to leave a child unreaped (and its waiter hanging)
/// when many run at once.
public struct ChildProcess: Sendable {
    public let pid: pid_t
    /// Where its standard output goes.
    public let log: URL

    /// Starts `executable` with `arguments` in this process's environment with `environment` added, in `directory`
    /// when given. Standard input comes from `input` (else /dev/null), standard output goes to `log`, standard
    /// error to `errorLog` (to `log` too when nil). The child gets no other descriptor of this process: a worker
    /// left behind by a failing test must not hold open what swift-test reads its output from.
    public init(
        _ executable: String, _ arguments: [String], log: URL, errorLog: URL? = nil,
        environment: [String: String] = [:], directory: URL? = nil, input: URL? = nil
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input?.path ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        if let errorLog {
            posix_spawn_file_actions_addopen(&actions, 2, errorLog.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        Self.keepDescriptorsFromChildren()
        // glibc's addchdir_np is not visible to Swift; coreutils' env changes the folder before it runs the program.
        let command = directory.map { ["/usr/bin/env", "--chdir=\($0.path)", executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for variable in envp { free(variable) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard status == 0 else {
            throw Fixtures.FixtureError(message: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        self.log = log
    }

    /// Marks every open descriptor beyond standard error close-on-exec (glibc's `addclosefrom_np` is not visible to
    /// Swift either).
    private static func keepDescriptorsFromChildren() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        for descriptor in open ?? [] where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits for the process to end and returns its exit status (128 + signal when a signal ended it).
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
