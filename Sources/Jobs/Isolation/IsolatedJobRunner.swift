import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs each attempt of a job in its own process, so that a job that crashes (a trap, a signal, the kernel's OOM
/// killer) takes down only its own attempt: the worker records the real reason as the attempt's failure, retries
/// or buries the job as for any failure, and its other jobs go on without losing an attempt.
///
/// The attempt process (`JobAttempt.serve(runner:)`, behind a hidden command of the application) talks to the
/// worker over a socket (`AttemptMessage`, `WorkerMessage`): it reports progress, asks before publishing whether
/// the worker still holds the lease, and is told to stop when the job is cancelled or taken away. If the worker
/// dies, the attempt sees its socket close, stops, and publishes nothing.
///
/// Kinds that need no isolation (a webhook delivery: no audio, no C library, one HTTP request) run in the
/// worker's own process by `local`, without the cost of a process per attempt.
public struct IsolatedJobRunner: JobRunner {
    /// The executable and arguments that run one attempt; `--job ID` is added, for `ps`.
    let command: [String]
    /// The runner the attempt process runs, here in the worker: it cleans up after an attempt that crashed, and
    /// runs the kinds named in `inProcessKinds`.
    let local: any JobRunner
    let inProcessKinds: Set<String>

    public init(command: [String], local: any JobRunner, inProcessKinds: Set<String> = []) {
        self.command = command
        self.local = local
        self.inProcessKinds = inProcessKinds
    }

    /// Attempts run by this very executable's `command` (a hidden subcommand that calls `JobAttempt.serve`).
    public static func thisExecutable(
        command: String, local: any JobRunner, inProcessKinds: Set<String> = []
    ) -> IsolatedJobRunner {
        IsolatedJobRunner(command: ["/proc/self/exe", command], local: local, inProcessKinds: inProcessKinds)
    }

    public func removeLeftovers(of job: Job) { local.removeLeftovers(of: job) }

    public func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult {
        if inProcessKinds.contains(job.kind) { return try local.run(job, progress: progress) }
        let attempt = try AttemptProcess(command: command + ["--job", String(job.id)])
        attempt.channel.send(WorkerMessage.start(job))
        var conversation = AttemptConversation(attempt: attempt, progress: progress)
        conversation.run()
        let exit = attempt.waitForExit()
        switch conversation.outcome {
        case .finished(var result, let followUps):
            result.followUps = followUps
            return result
        case .failed(let failure):
            throw failure
        default:
            // The attempt died before it could clean up: its hidden files are removed here unless the job may
            // already be someone else's (their removal is then the successor's business).
            if !progress.cancellation.isCancelled { local.removeLeftovers(of: job) }
            let reason = conversation.fatalError.map { ": \($0)" } ?? ""
            throw JobFailure(
                code: "crashed", message: "the process running this attempt \(exit)\(reason)", isPermanent: false)
        }
    }
}

/// The worker's side of one attempt: relays progress and the publishing question, forwards a cancellation,
/// passes the attempt's standard error on (remembering a Swift runtime's fatal error), until both streams end.
private struct AttemptConversation {
    let attempt: AttemptProcess
    let progress: JobProgressReporter
    /// The attempt's last message, `.finished` or `.failed`; nil if it ended without one.
    private(set) var outcome: AttemptMessage?
    /// The first "Fatal error" line the attempt printed: why it trapped.
    private(set) var fatalError: String?
    private var messageLines = LineSplitter()
    private var errorLines = LineSplitter()
    private var cancelSent = false

    init(attempt: AttemptProcess, progress: JobProgressReporter) {
        self.attempt = attempt
        self.progress = progress
    }

    /// How long a wait for the attempt lasts before the cancellation flag is looked at again.
    private static let cancellationCheckMilliseconds: Int32 = 100

    mutating func run() {
        var streams = [
            pollfd(fd: attempt.channel.descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: attempt.errors, events: Int16(POLLIN), revents: 0),
        ]
        while streams.contains(where: { $0.fd >= 0 }) {
            if progress.cancellation.isCancelled && !cancelSent {
                cancelSent = attempt.channel.send(WorkerMessage.cancel)
            }
            guard poll(&streams, 2, Self.cancellationCheckMilliseconds) > 0 else { continue }
            if streams[0].revents != 0 {
                if let bytes = readAvailable(streams[0].fd) {
                    for line in messageLines.lines(adding: bytes) { handle(line) }
                } else {
                    streams[0].fd = -1
                }
            }
            if streams[1].revents != 0 {
                if let bytes = readAvailable(streams[1].fd) {
                    passOn(bytes)
                } else {
                    streams[1].fd = -1
                }
            }
        }
    }

    private mutating func handle(_ line: ArraySlice<UInt8>) {
        guard let message = try? JSONDecoder().decode(AttemptMessage.self, from: Data(line)) else { return }
        switch message {
        case .progress(let reported):
            if progress.current?.stage != reported.stage { progress.begin(reported.stage) }
            progress.report(percent: reported.percent)
        case .mayPublish:
            let allowed = (try? progress.cancellation.confirmPublishing()) != nil
            attempt.channel.send(WorkerMessage.publishing(allowed: allowed))
        case .finished, .failed:
            outcome = message
        }
    }

    /// Copies the attempt's standard error to the worker's (its log) and keeps the first fatal error line.
    private mutating func passOn(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
        guard fatalError == nil else { return }
        for line in errorLines.lines(adding: bytes) {
            let text = String(decoding: line, as: UTF8.self)
            if let range = text.range(of: "Fatal error") {
                fatalError = String(text[range.lowerBound...].prefix(300))
                return
            }
        }
    }
}
