import Dispatch
import Foundation
import Logging
import Metrics

/// One worker: claims a job, runs it on its own Dispatch queue while a heartbeat keeps the lease, records the
/// outcome, and claims the next, until shutdown.
struct WorkerSlot: Sendable {
    let name: String
    let queue: any JobQueue
    let runner: any JobRunner
    let observer: (any JobOutcomeObserver)?
    let configuration: WorkerPool.Configuration
    let shutdown: WorkerShutdown
    let logger: Logger
    private let thread: DispatchQueue

    init(
        name: String, queue: any JobQueue, runner: any JobRunner, observer: (any JobOutcomeObserver)?,
        configuration: WorkerPool.Configuration, shutdown: WorkerShutdown, logger: Logger
    ) {
        self.name = name
        self.queue = queue
        self.runner = runner
        self.observer = observer
        self.configuration = configuration
        self.shutdown = shutdown
        var logger = logger
        logger[metadataKey: "worker"] = "\(name)"
        self.logger = logger
        self.thread = DispatchQueue(label: "callaudio.worker.\(name)")
    }

    /// The outcome of running a job, as the slot sees it.
    private enum Outcome: Sendable {
        case finished(Result<JobResult, any Error>)
        /// Shutdown's grace period ran out first.
        case abandoned
    }

    func run() async {
        while !shutdown.stopClaiming.isSet && !Task.isCancelled {
            do {
                if let job = try await queue.claim(worker: name, leaseDuration: configuration.leaseDuration) {
                    try await execute(job)
                    continue
                }
            } catch {
                logger.error("queue operation failed", metadata: ["error": "\(error)"])
            }
            await idle()
        }
    }

    /// Waits for new work, the poll interval, or shutdown, whichever comes first.
    private func idle() async {
        let queue = queue
        let interval = configuration.pollInterval
        let stop = shutdown.stopClaiming
        await firstOf({ await queue.waitForWork(timeout: interval) }, { _ = await stop.wait() })
    }

    private func execute(_ job: Job) async throws {
        var logger = logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        logger.info("started", metadata: ["attempt": "\(job.attempts)"])
        let started = ContinuousClock.now
        let reporter = JobProgressReporter(confirmLease: { [self] in stillHoldsLease(of: job) })
        let outcome = await runWithHeartbeat(job, reporter: reporter, logger: logger)
        let stages = reporter.finish()
        let seconds = (ContinuousClock.now - started).seconds
        for timing in stages {
            logger.info("stage", metadata: ["stage": "\(timing.stage)", "duration": "\(timing.seconds)"])
            Timer(
                label: "callaudio_job_stage_seconds",
                dimensions: [("kind", job.kind), ("stage", timing.stage)]
            )
            .recordSeconds(timing.seconds)
        }
        do {
            switch outcome {
            case .finished(.success(var result)):
                result.stages = stages
                // Follow-ups first, keyed by this job: if the success below is lost (the lease went), the next
                // attempt asks again and gets the same jobs, never a second set.
                if !result.followUps.isEmpty {
                    var ids: [Int64] = []
                    for request in result.followUps { ids.append(try await queue.enqueue(request).job.id) }
                    result.followUpJobs = ids
                    logger.info("follow-ups", metadata: ["jobs": "\(ids)"])
                }
                let succeeded = try await queue.succeed(job.id, worker: name, result: result)
                logger.info("succeeded", metadata: ["duration": "\(seconds)"])
                await announce(succeeded, logger: logger)
            case .finished(.failure(let error)):
                let failed = try await queue.fail(job.id, worker: name, failure: JobFailure(error))
                logger.warning(
                    "failed",
                    metadata: [
                        "status": "\(failed.status.rawValue)", "error": "\(error)",
                        "duration": "\(seconds)",
                    ])
                if failed.status == .dead { await announce(failed, logger: logger) }
            case .abandoned:
                _ = try await queue.release(job.id, worker: name)
                logger.warning("released unfinished at shutdown", metadata: ["duration": "\(seconds)"])
            }
        } catch let error as JobTransitionError {
            logger.warning("the job was taken from this worker; outcome dropped", metadata: ["error": "\(error)"])
        }
    }

    /// Queues what the observer asks for now that `job` is final. A failure here is logged, not retried: the
    /// job's own outcome is recorded already.
    private func announce(_ job: Job, logger: Logger) async {
        guard let observer else { return }
        do {
            for request in try await observer.requests(after: job) {
                let enqueued = try await queue.enqueue(request)
                logger.info("announced", metadata: ["event job": "\(enqueued.job.id)"])
            }
        } catch {
            logger.error("could not queue an announcement", metadata: ["error": "\(error)"])
        }
    }

    /// Runs the job on this slot's Dispatch queue; meanwhile extends the lease until the job ends or shutdown's
    /// grace period runs out.
    private func runWithHeartbeat(_ job: Job, reporter: JobProgressReporter, logger: Logger) async -> Outcome {
        let done = Completion<Result<JobResult, any Error>>()
        let runner = runner
        thread.async { done.set(Result { try runner.run(job, progress: reporter) }) }
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask { await done.wait().map(Outcome.finished) }
            group.addTask { await shutdown.graceOver.wait().map { .abandoned } }
            group.addTask {
                await keepLease(of: job, reporter: reporter, logger: logger)
                return nil
            }
            while let next = await group.next() {
                if let outcome = next {
                    // A job given back at shutdown stops too, removing its temporary files.
                    if case .abandoned = outcome { reporter.cancellation.cancel() }
                    group.cancelAll()
                    return outcome
                }
            }
            return .abandoned
        }
    }

    /// Extends the lease every third of its duration until cancelled or the job is taken from this worker. When
    /// the queue cannot be reached for as long as a lease lasts, the lease is surely gone: the work stops too.
    private func keepLease(of job: Job, reporter: JobProgressReporter, logger: Logger) async {
        let lease = configuration.leaseDuration
        var lastHeld = ContinuousClock.now
        while (try? await Task.sleep(for: .seconds(lease / 3))) != nil {
            do {
                let held = try await queue.heartbeat(
                    job.id, worker: name, leaseDuration: lease, progress: reporter.current)
                if !held {
                    logger.warning("lost the lease (cancelled or taken over); stopping the work")
                    reporter.cancellation.cancel()
                    return
                }
                lastHeld = .now
            } catch {
                logger.error("heartbeat failed", metadata: ["error": "\(error)"])
                if (ContinuousClock.now - lastHeld).seconds >= lease {
                    logger.warning("no heartbeat for a whole lease; stopping the work")
                    reporter.cancellation.cancel()
                    return
                }
            }
        }
    }

    /// Extends the lease once more and says whether this worker still holds `job`: asked from the job's thread
    /// right before its outputs are published. A queue that cannot be reached counts as no; the attempt fails
    /// and the job is retried.
    private func stillHoldsLease(of job: Job) -> Bool {
        let queue = queue
        let name = name
        let lease = configuration.leaseDuration
        let held = waitingForTask {
            try await queue.heartbeat(job.id, worker: name, leaseDuration: lease, progress: nil)
        }
        if case .success(true) = held { return true }
        logger.warning("no longer holds the job; publishing nothing", metadata: ["job": "\(job.id)"])
        return false
    }
}
