import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A process running one attempt of a job: started with `posix_spawn`, talked to over a socket that it sees as
/// descriptor 3, its standard error read by the worker (which passes it on to its own), reaped with `waitpid`.
struct AttemptProcess {
    /// The descriptor an attempt process finds its conversation with the worker on.
    static let channelDescriptor: Int32 = 3

    let pid: pid_t
    let channel: MessageChannel
    /// The worker's end of the process's standard error.
    let errors: Int32

    /// Starts `command` (an executable path, then its arguments) with standard input from /dev/null and standard
    /// output shared with this process.
    init(command: [String]) throws {
        Self.keepDescriptorsFromChildren()
        let messages = try Self.socketPair()
        let errorStream = try Self.socketPair()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, errorStream.child, 2)
        posix_spawn_file_actions_adddup2(&actions, messages.child, Self.channelDescriptor)
        let argv = command.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var attributes = Self.freshSignalState()
        defer { posix_spawnattr_destroy(&attributes) }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        close(messages.child)
        close(errorStream.child)
        guard status == 0 else {
            close(messages.worker)
            close(errorStream.worker)
            throw JobFailure(
                code: "internal", message: "cannot start \(command[0]): \(String(cString: strerror(status)))",
                isPermanent: false)
        }
        self.pid = pid
        self.channel = MessageChannel(descriptor: messages.worker)
        self.errors = errorStream.worker
    }

    /// Waits for the process to end, then closes the worker's ends of its streams.
    func waitForExit() -> ExitStatus {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        close(channel.descriptor)
        close(errors)
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    /// Spawn attributes that start the attempt with no signal blocked and every signal at its default action:
    /// a worker thread blocks SIGTERM, SIGINT and more, and the worker ignores SIGPIPE, none of which an
    /// attempt should inherit (blocked, they would keep it from being stopped, and from dying of its own crash).
    private static func freshSignalState() -> posix_spawnattr_t {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return attributes
    }

    /// Marks every open descriptor beyond standard error close-on-exec, so that a child gets only what its spawn
    /// gives it: an attempt must not hold a worker's database connection or another attempt's socket open
    /// (that attempt would then never see its worker go away).
    static func keepDescriptorsFromChildren() {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        for descriptor in open ?? [] where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Both ends of a new Unix socket pair, closed on exec (the spawn's `dup2` gives the child its own copy).
    private static func socketPair() throws -> (worker: Int32, child: Int32) {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            throw JobFailure(
                code: "internal", message: "cannot make a socket pair: \(String(cString: strerror(errno)))",
                isPermanent: false)
        }
        return (ends[0], ends[1])
    }

    /// How a process ended.
    enum ExitStatus: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signalled(let signal):
                "crashed with \(Self.signalNames[signal] ?? "signal \(signal)") (\(String(cString: strsignal(signal))))"
            }
        }

        private static let signalNames: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGSYS: "SIGSYS",
        ]
    }
}
