import AudioCore
import AudioTesting
import CallAudio
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import CallAudioJobs
@testable import Jobs

/// A runner whose behaviour each test supplies.
struct ClosureRunner: JobRunner {
    let body: @Sendable (Job, JobProgressReporter) throws -> JobResult

    func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult { try body(job, progress) }
}

extension ClosureRunner {
    /// A chunk loop: one short piece of work per chunk until the job's cancellation is set; then it sets
    /// `stopped` and fails the attempt as cancelled.
    static func workingUntilCancelled(then stopped: Completion<Void>) -> ClosureRunner {
        ClosureRunner { _, progress in
            progress.begin("work")
            while (try? progress.cancellation.check()) != nil { usleep(1_000) }
            stopped.set(())
            throw AudioError(.cancelled, "stopped")
        }
    }
}

/// A gate a runner thread blocks on until the test opens it.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    func wait() { semaphore.wait() }
    func open() { semaphore.signal() }
}

/// The worker pool in-process, with injected runners: scheduling, failures and shutdown.
@Suite(.postgresServer) struct WorkerPoolTests {
    /// Runs a pool over `queue` inside a service group until `body` returns, then shuts it down gracefully and
    /// waits for the pool to stop.
    func withPool(
        _ queue: any JobQueue, runner: some JobRunner, grace: TimeInterval = 60, lease: TimeInterval = 30,
        logger: Logger = Logger(label: "test"), _ body: @Sendable () async throws -> Void
    ) async throws {
        let pool = WorkerPool(
            queue: queue, runner: runner,
            configuration: .init(workers: 1, leaseDuration: lease, pollInterval: 0.05, gracePeriod: grace),
            logger: logger)
        let group = ServiceGroup(services: [pool], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body()
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test(arguments: StoreKind.allCases) func badInputGoesDeadAtOnceAndTheWorkerGoesOn(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let bad = try await queue.enqueue(request(name: "bad")).job.id
            let good = try await queue.enqueue(request(name: "good")).job.id
            let runner = ClosureRunner { job, progress in
                progress.begin("decode")
                guard case .reencode(let recipe) = try job.payload, !recipe.input.hasSuffix("bad.wav") else {
                    throw AudioError(
                        .unsupportedFormat, path: "/in/bad.wav", "File contains data in an unknown format.")
                }
                progress.begin("encode")
                return JobResult(outputs: [recipe.output])
            }
            try await withPool(queue, runner: runner) {
                try await eventually("both jobs final") {
                    try await [bad, good].asyncAllSatisfy { try await queue.job($0)?.status.isFinal == true }
                }
            }
            let dead = try #require(try await queue.job(bad))
            #expect(dead.status == .dead)
            #expect(dead.attempts == 1)
            #expect(dead.failure?.code == "unsupportedFormat")
            #expect(dead.failure?.message == "File contains data in an unknown format.")
            let done = try #require(try await queue.job(good))
            #expect(done.status == .succeeded)
            #expect(done.result?.outputs == ["/out/good.mp3"])
            #expect(done.result?.stages.map(\.stage) == ["decode", "encode"])
        }
    }

    @Test func gracefulShutdownFinishesTheRunningJobAndClaimsNoMore() async throws {
        try await StoreKind.sqlite.withQueue { queue, _ in
            let first = try await queue.enqueue(request(name: "first")).job.id
            let second = try await queue.enqueue(request(name: "second")).job.id
            let gate = Gate()
            let runner = ClosureRunner { job, progress in
                progress.begin("work")
                gate.wait()
                return JobResult(outputs: [])
            }
            // The job may end only once the pool has announced that it stopped claiming.
            let logger = Logger(label: "test") { _ in
                CallbackLogHandler { if $0.hasPrefix("shutting down") { gate.open() } }
            }
            try await withPool(queue, runner: runner, logger: logger) {
                try await eventually("the first job running") { try await queue.job(first)?.status == .running }
            }
            #expect(try await queue.job(first)?.status == .succeeded)
            #expect(try await queue.job(second)?.status == .queued)
        }
    }

    @Test(arguments: StoreKind.allCases) func cancellingARunningJobStopsItsWork(store: StoreKind) async throws {
        try await store.withQueue { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            let stopped = Completion<Void>()
            let runner = ClosureRunner.workingUntilCancelled(then: stopped)
            try await withPool(queue, runner: runner, lease: 0.6) {
                try await eventually("the job running") { try await queue.job(id)?.status == .running }
                _ = try await queue.cancel(id)
                _ = await stopped.wait()
            }
            let job = try #require(try await queue.job(id))
            #expect(job.status == .cancelled)
            #expect(job.attempts == 1)
            #expect(try await queue.history(of: id).map(\.event) == ["enqueued", "claimed", "cancelled"])
        }
    }

    /// A worker paused past its lease (here: its runner held at a gate while the queue's clock moves on) finds,
    /// when it comes to publish, that another worker took the job over and finished it: it publishes nothing.
    @Test(arguments: StoreKind.allCases) func aWorkerThatLostItsJobPublishesNothing(store: StoreKind) async throws {
        let clock = ManualJobClock()
        try await store.withQueue(clock: clock) { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            try await withScratchFolder("callaudio-stale-attempt") { folder async throws in
                let gate = Gate()
                let attempt = Completion<Result<Void, AudioError>>()
                let runner = ClosureRunner { _, progress in
                    progress.begin("work")
                    let staged = try StagedOutputs(in: folder, marker: "call.mp3")
                    try Data("stale".utf8).write(to: URL(fileURLWithPath: staged.path(of: "call.mp3")))
                    gate.wait()
                    let published = Result { () throws(AudioError) in
                        try staged.publish(["call.mp3"], permission: progress.cancellation)
                    }
                    attempt.set(published)
                    try published.get()
                    return JobResult(outputs: [])
                }
                // An hour's lease: the pool's own heartbeat (every third of it, in real time) does not come round during
                // the test however busy the machine, and cannot renew the lease the queue's clock has moved past.
                try await withPool(queue, runner: runner, lease: 3_600) {
                    try await eventually("the job running") { try await queue.job(id)?.status == .running }
                    clock.advance(by: 3_601)
                    let successor = try #require(try await queue.claim(worker: "successor", leaseDuration: 60))
                    #expect(successor.id == id)
                    _ = try await queue.succeed(id, worker: "successor", result: JobResult(outputs: []))
                    gate.open()
                    _ = await attempt.wait()
                }
                let outcome = try #require(await attempt.wait())
                if case .failure(let error) = outcome {
                    #expect(error.code == .cancelled)
                } else {
                    Issue.record("the stale attempt published")
                }
                #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("call.mp3").path))
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
                let history = try await queue.history(of: id).map(\.event)
                #expect(history == ["enqueued", "claimed", "retrying", "claimed", "succeeded"])
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }

    /// A worker that cannot reach its queue for a whole lease stops the job's work: the lease is surely gone, and
    /// another worker may hold the job by now.
    @Test func aWorkerCutOffFromItsQueueForAWholeLeaseStopsTheWork() async throws {
        try await StoreKind.sqlite.withQueue { store, _ in
            let queue = CuttableQueue(store)
            let id = try await queue.enqueue(request()).job.id
            let stopped = Completion<Void>()
            let runner = ClosureRunner.workingUntilCancelled(then: stopped)
            let warnings = Mutex<[String]>([])
            let logger = Logger(label: "test") { _ in
                CallbackLogHandler { message in warnings.withLock { $0.append(message) } }
            }
            try await withPool(queue, runner: runner, lease: 0.6, logger: logger) {
                try await eventually("the job running") { try await queue.job(id)?.status == .running }
                queue.cutOff()
                try await eventually(timeout: .seconds(30), "the work stopped") { stopped.isSet }
            }
            let logged = warnings.withLock { $0 }
            #expect(logged.contains("no heartbeat for a whole lease; stopping the work"), "\(logged)")
            #expect(logged.contains("heartbeat failed"), "\(logged)")
        }
    }

    @Test func graceRunningOutGivesTheJobBack() async throws {
        try await StoreKind.sqlite.withQueue { queue, _ in
            let id = try await queue.enqueue(request()).job.id
            let gate = Gate()
            let runner = ClosureRunner { _, progress in
                progress.begin("work")
                gate.wait()
                return JobResult(outputs: [])
            }
            try await withPool(queue, runner: runner, grace: 0.1) {
                try await eventually("the job running") { try await queue.job(id)?.status == .running }
            }
            gate.open()
            let job = try #require(try await queue.job(id))
            #expect(job.status == .queued)
            #expect(job.attempts == 0)
            #expect(try await queue.history(of: id).map(\.event) == ["enqueued", "claimed", "released"])
        }
    }
}

/// Hands every log message to a closure: how a test sees what the pool announces.
struct CallbackLogHandler: LogHandler {
    let onMessage: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(_ onMessage: @escaping @Sendable (String) -> Void) { self.onMessage = onMessage }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { onMessage(event.message.description) }
}

extension Array {
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}

/// A queue whose heartbeats fail once `cutOff()` is called (a network partition between worker and database);
/// everything else goes through to the real store.
final class CuttableQueue: JobQueue {
    private let store: any JobQueue
    private let isCutOff = Atomic(false)

    init(_ store: any JobQueue) { self.store = store }

    func cutOff() { isCutOff.store(true, ordering: .releasing) }

    func heartbeat(_ id: Int64, worker: String, leaseDuration: TimeInterval, progress: JobProgress?) async throws
        -> Bool
    {
        if isCutOff.load(ordering: .acquiring) { throw JobQueueError("the database cannot be reached") }
        return try await store.heartbeat(id, worker: worker, leaseDuration: leaseDuration, progress: progress)
    }

    func enqueue(_ request: JobRequest) async throws -> Enqueued { try await store.enqueue(request) }
    func claim(worker: String, leaseDuration: TimeInterval) async throws -> Job? {
        try await store.claim(worker: worker, leaseDuration: leaseDuration)
    }
    func succeed(_ id: Int64, worker: String, result: JobResult) async throws -> Job {
        try await store.succeed(id, worker: worker, result: result)
    }
    func fail(_ id: Int64, worker: String, failure: JobFailure) async throws -> Job {
        try await store.fail(id, worker: worker, failure: failure)
    }
    func release(_ id: Int64, worker: String) async throws -> Job { try await store.release(id, worker: worker) }
    func cancel(_ id: Int64) async throws -> Job { try await store.cancel(id) }
    func retry(_ id: Int64) async throws -> Job { try await store.retry(id) }
    func job(_ id: Int64) async throws -> Job? { try await store.job(id) }
    func jobs(matching filter: JobFilter, limit: Int) async throws -> [Job] {
        try await store.jobs(matching: filter, limit: limit)
    }
    func scrub(job id: Int64, recipe scrubbing: @escaping @Sendable (Job) throws -> JSONValue) async throws {
        try await store.scrub(job: id, recipe: scrubbing)
    }
    func history(of id: Int64) async throws -> [JobEvent] { try await store.history(of: id) }
    func jobCounts() async throws -> [JobCount] { try await store.jobCounts() }
    func pruneHistory(before cutoff: Date) async throws -> Int { try await store.pruneHistory(before: cutoff) }
    func waitForWork(timeout: TimeInterval) async { await store.waitForWork(timeout: timeout) }
    func close() async throws { try await store.close() }
}
