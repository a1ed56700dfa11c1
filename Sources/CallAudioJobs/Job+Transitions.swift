import Foundation

/// A transition the job's current state does not allow, named with both.
public struct JobTransitionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var jobID: Int64
    public var status: JobStatus
    public var event: String

    public var description: String { "job \(jobID) is \(status.rawValue): cannot \(event)" }
}

/// The job's life as one explicit state machine, free of any store:
///
/// ```
/// queued ─claim─▶ running ─succeed─▶ succeeded
///   ▲               │ ├─fail (transient, attempts left)─▶ retrying ─claim (after backoff)─▶ running
///   │               │ ├─fail (permanent or last attempt)─▶ dead
///   │               │ └─lease runs out─▶ claimable again (dead once attempts are used up)
///   └───release─────┘
/// queued | retrying | running ─cancel─▶ cancelled;   dead | cancelled ─retry─▶ queued
/// ```
/// Every store loads a job, applies one of these, and saves it in one transaction.
extension Job {
    /// Whether a worker may claim the job at `now`: it is due, or its worker's lease has run out.
    public func isClaimable(at now: Date) -> Bool {
        switch status {
        case .queued, .retrying: runAt <= now
        case .running: lease.map { $0.expiresAt <= now } ?? true
        default: false
        }
    }

    /// `worker` takes the job and holds it until `now + leaseDuration`; the attempt is counted.
    ///
    /// A running job whose lease ran out is taken over the same way (its previous worker died); when it has
    /// no attempts left it goes dead instead, and `claim` reports false.
    public mutating func claim(by worker: String, at now: Date, leaseDuration: TimeInterval) throws -> Bool {
        guard isClaimable(at: now) else { throw illegal("be claimed at \(now)") }
        if status == .running && attempts >= maxAttempts {
            failure = JobFailure(
                code: "leaseExpired", message: "the worker running attempt \(attempts) stopped answering",
                isPermanent: false)
            finish(.dead, at: now)
            return false
        }
        status = .running
        attempts += 1
        lease = Lease(worker: worker, expiresAt: now + leaseDuration)
        progress = JobProgress(stage: "claimed", percent: 0)
        updatedAt = now
        return true
    }

    /// The heartbeat of the worker holding the lease: extends it and records progress.
    public mutating func extendLease(
        by worker: String, at now: Date, leaseDuration: TimeInterval, progress newProgress: JobProgress?
    ) throws {
        try requireLease(of: worker, to: "extend the lease of \(worker)")
        lease?.expiresAt = now + leaseDuration
        if let newProgress { progress = newProgress }
        updatedAt = now
    }

    /// The worker holding the lease finished the job.
    public mutating func succeed(by worker: String, result newResult: JobResult, at now: Date) throws {
        try requireLease(of: worker, to: "succeed for \(worker)")
        result = newResult
        failure = nil
        progress = JobProgress(stage: "done", percent: 100)
        finish(.succeeded, at: now)
    }

    /// The worker holding the lease failed: the job retries after a backoff, or goes dead when the failure is
    /// permanent or this was its last attempt. `random` (0 ..< 1) drives the jitter.
    public mutating func fail(
        by worker: String, with newFailure: JobFailure, at now: Date, policy: RetryPolicy, random: Double
    ) throws {
        try requireLease(of: worker, to: "fail for \(worker)")
        failure = newFailure
        if newFailure.isPermanent || attempts >= maxAttempts {
            finish(.dead, at: now)
        } else {
            status = .retrying
            lease = nil
            runAt = now + policy.delay(afterAttempt: attempts, random: random)
            updatedAt = now
        }
    }

    /// The worker gives the job back unfinished (it is shutting down): queued again, the attempt not counted.
    public mutating func release(by worker: String, at now: Date) throws {
        try requireLease(of: worker, to: "be released by \(worker)")
        status = .queued
        attempts -= 1
        lease = nil
        runAt = now
        progress = nil
        updatedAt = now
    }

    /// Nobody wants the job any more; a running worker learns it at its next heartbeat.
    public mutating func cancel(at now: Date) throws {
        guard !status.isFinal else { throw illegal("be cancelled") }
        finish(.cancelled, at: now)
    }

    /// Someone asks for a dead or cancelled job to run again, with a fresh set of attempts.
    public mutating func retry(at now: Date) throws {
        guard status == .dead || status == .cancelled else { throw illegal("be retried") }
        status = .queued
        attempts = 0
        runAt = now
        failure = nil
        progress = nil
        updatedAt = now
    }

    private mutating func finish(_ final: JobStatus, at now: Date) {
        status = final
        lease = nil
        updatedAt = now
    }

    private func requireLease(of worker: String, to event: String) throws {
        guard status == .running, lease?.worker == worker else { throw illegal(event) }
    }

    private func illegal(_ event: String) -> JobTransitionError {
        JobTransitionError(jobID: id, status: status, event: event)
    }
}
