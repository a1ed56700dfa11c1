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
///   ▲               │ ├─fail (transient, attempts left)─────────────┐
///   │               │ ├─lease runs out (worker died, attempts left)─┴▶ retrying ─claim (when due)─▶ running
///   │               │ └─fail (permanent or last attempt), lease runs out on the last attempt─▶ dead
///   └───release─────┘
/// queued | retrying | running ─cancel─▶ cancelled;   dead | cancelled ─retry─▶ queued
/// ```
/// Every store loads a job, applies one of these, and saves it in one transaction.
extension Job {
    /// Whether a worker may claim the job at `now`.
    public func isClaimable(at now: Date) -> Bool {
        (status == .queued || status == .retrying) && runAt <= now
    }

    /// Whether the job's worker stopped renewing its lease before `now` (it died or hangs).
    public func isLeaseExpired(at now: Date) -> Bool {
        status == .running && (lease.map { $0.expiresAt <= now } ?? true)
    }

    /// `worker` takes the job and holds it until `now + leaseDuration`; the attempt is counted.
    public mutating func claim(by worker: String, at now: Date, leaseDuration: TimeInterval) throws {
        guard isClaimable(at: now) else { throw illegal("be claimed at \(now)") }
        status = .running
        attempts += 1
        lease = Lease(worker: worker, expiresAt: now + leaseDuration)
        progress = .claimed
        updatedAt = now
    }

    /// The lease ran out: the attempt counts as a transient failure, due again at once (dead on the last one).
    public mutating func expireLease(at now: Date) throws {
        guard isLeaseExpired(at: now) else { throw illegal("have its lease expire at \(now)") }
        failure = JobFailure(
            code: "leaseExpired",
            message: "\(lease?.worker ?? "the worker") stopped renewing its lease during attempt \(attempts)",
            isPermanent: false)
        if attempts >= maxAttempts {
            finish(.dead, at: now)
        } else {
            status = .retrying
            lease = nil
            runAt = now
            updatedAt = now
        }
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
        progress = .done
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
