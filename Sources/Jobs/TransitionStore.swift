import Foundation
import Synchronization

/// The part of a store that differs between databases: claiming a due job, expiring run-out leases, and
/// loading one job to save it changed with a history entry. The operations every store offers are written once,
/// on top of these.
package protocol TransitionStore: JobQueue {
    var clock: any JobClock { get }
    var retryPolicy: RetryPolicy { get }
    var leaseReaper: LeaseReaper { get }

    /// Applies `Job.claim` to the most urgent due job (highest priority, then earliest run-at), skipping jobs
    /// other workers are claiming at the same moment, and records the claim; nil when no job is due.
    func claimDue(worker: String, leaseDuration: TimeInterval, at now: Date) async throws -> Job?

    /// Applies `Job.expireLease` to running jobs whose lease ran out; returns how many it changed.
    func expireLeases(at now: Date) async throws -> Int

    /// In one transaction: loads job `id` (locked against other writers), lets `change` apply a transition at
    /// the given time, and saves the job with the history entry `change` returns (none when nil).
    func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws -> Job
}

extension TransitionStore {
    /// Claims a due job. Run-out leases are expired first once a second, and whenever no job is due, so that a
    /// dead worker's job is claimed again by the next worker that looks.
    public func claim(worker: String, leaseDuration: TimeInterval) async throws -> Job? {
        let now = clock.now()
        if leaseReaper.isDue(at: now) { _ = try await expireLeases(at: now) }
        if let job = try await claimDue(worker: worker, leaseDuration: leaseDuration, at: now) { return job }
        guard try await expireLeases(at: now) > 0 else { return nil }
        return try await claimDue(worker: worker, leaseDuration: leaseDuration, at: now)
    }

    public func heartbeat(_ id: Int64, worker: String, leaseDuration: TimeInterval, progress: JobProgress?)
        async throws -> Bool
    {
        do {
            _ = try await update(id) { job, now in
                try job.extendLease(by: worker, at: now, leaseDuration: leaseDuration, progress: progress)
                return nil
            }
            return true
        } catch is JobTransitionError {
            return false
        }
    }

    public func succeed(_ id: Int64, worker: String, result: JobResult) async throws -> Job {
        try await succeedThroughTransition(id, worker: worker, result: result)
    }

    /// `succeed` as every other operation: load, apply `Job.succeed`, save.
    package func succeedThroughTransition(_ id: Int64, worker: String, result: JobResult) async throws -> Job {
        try await update(id) { job, now in
            try job.succeed(by: worker, result: result, at: now)
            return JobEvent(after: job, event: "succeeded", worker: worker)
        }
    }

    public func fail(_ id: Int64, worker: String, failure: JobFailure) async throws -> Job {
        let policy = retryPolicy
        return try await update(id) { job, now in
            try job.fail(by: worker, with: failure, at: now, policy: policy, random: Double.random(in: 0..<1))
            return JobEvent(after: job, event: job.status.rawValue, worker: worker, detail: failure.description)
        }
    }

    public func release(_ id: Int64, worker: String) async throws -> Job {
        try await update(id) { job, now in
            try job.release(by: worker, at: now)
            return JobEvent(after: job, event: "released", worker: worker)
        }
    }

    public func cancel(_ id: Int64) async throws -> Job {
        try await update(id) { job, now in
            try job.cancel(at: now)
            return JobEvent(after: job, event: "cancelled", worker: nil)
        }
    }

    public func retry(_ id: Int64) async throws -> Job {
        try await update(id) { job, now in
            try job.retry(at: now)
            return JobEvent(after: job, event: "retried", worker: nil)
        }
    }
}

/// Remembers when a store last expired leases, so that busy workers do it about once a second, not per claim.
package final class LeaseReaper: Sendable {
    private let last = Mutex<Date?>(nil)
    private let interval: TimeInterval

    package init(interval: TimeInterval = 1) { self.interval = interval }

    /// True, and the time noted, when `interval` has passed since the last time it returned true.
    func isDue(at now: Date) -> Bool {
        last.withLock { last in
            guard last.map({ now.timeIntervalSince($0) >= interval }) ?? true else { return false }
            last = now
            return true
        }
    }
}
