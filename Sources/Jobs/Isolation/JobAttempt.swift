import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The attempt process's side of `IsolatedJobRunner`: reads the job from the worker, runs it with `runner`,
/// and reports back. The worker's cancellation stops the run at its next chunk; the worker going away (its
/// socket closing) does too, and then publishing is refused.
public enum JobAttempt {
    /// Serves one attempt on descriptor 3 and returns the process's exit status: 0 once the outcome is sent
    /// (a failed job is a successful conversation), 70 when there is no worker to talk to.
    public static func serve(runner: any JobRunner) -> Int32 {
        // A worker that died must not kill its attempt mid-cleanup through a write to its closed socket.
        signal(SIGPIPE, SIG_IGN)
        let channel = MessageChannel(descriptor: AttemptProcess.channelDescriptor)
        var inbox = Inbox(descriptor: channel.descriptor)
        guard case .start(let job)? = inbox.next() else { return 70 }
        let answers = PublishingAnswers()
        let forwarder = ProgressForwarder(channel: channel)
        let progress = JobProgressReporter(
            confirmLease: { channel.send(AttemptMessage.mayPublish) && answers.next() },
            onChange: { forwarder.offer($0) })
        Thread.detachNewThread { [inbox] in
            var inbox = inbox
            while let message = inbox.next() {
                switch message {
                case .cancel: progress.cancellation.cancel()
                case .publishing(let allowed): answers.add(allowed)
                case .start: continue
                }
            }
            progress.cancellation.cancel()
            answers.close()
        }
        let outcome: AttemptMessage
        do {
            let result = try runner.run(job, progress: progress)
            outcome = .finished(result, followUps: result.followUps)
        } catch {
            outcome = .failed(JobFailure(error))
        }
        channel.send(outcome)
        return 0
    }
}

/// The worker's messages, read one line at a time (blocking); nil once the worker's end is closed.
private struct Inbox {
    let descriptor: Int32
    private var lines = LineSplitter()
    private var ready: [ArraySlice<UInt8>] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    mutating func next() -> WorkerMessage? {
        while true {
            while !ready.isEmpty {
                let line = ready.removeFirst()
                if let message = try? JSONDecoder().decode(WorkerMessage.self, from: Data(line)) { return message }
            }
            guard let bytes = readAvailable(descriptor) else { return nil }
            ready = lines.lines(adding: bytes)
        }
    }
}

/// The worker's answers to "may I publish?", handed from the reading thread to the running job; once the worker
/// is gone, every question is answered no.
private final class PublishingAnswers: Sendable {
    private let answers = Mutex((pending: [Bool](), closed: false))
    private let arrived = DispatchSemaphore(value: 0)

    func add(_ allowed: Bool) {
        answers.withLock { $0.pending.append(allowed) }
        arrived.signal()
    }

    func close() {
        answers.withLock { $0.closed = true }
        arrived.signal()
    }

    /// Waits for the next answer.
    func next() -> Bool {
        arrived.wait()
        return answers.withLock { answers in
            if !answers.pending.isEmpty { return answers.pending.removeFirst() }
            arrived.signal()  // closed: leave the way open for any later question
            return false
        }
    }
}

/// Sends progress to the worker, a new stage at once and percents at most four times a second: a runner may
/// report after every chunk.
private final class ProgressForwarder: Sendable {
    private let channel: MessageChannel
    private let last = Mutex<(stage: String, sent: ContinuousClock.Instant)?>(nil)
    private static let interval = Duration.milliseconds(250)

    init(channel: MessageChannel) {
        self.channel = channel
    }

    func offer(_ progress: JobProgress) {
        let now = ContinuousClock.now
        let due = last.withLock { last in
            guard last?.stage != progress.stage || now - last!.sent >= Self.interval else { return false }
            last = (progress.stage, now)
            return true
        }
        if due { channel.send(AttemptMessage.progress(progress)) }
    }
}
