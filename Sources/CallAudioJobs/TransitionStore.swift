import Foundation

/// The part of a store that differs between databases: loading one job under a lock, saving it with a history
/// entry. The transitions every store offers are written once, on top of it.
protocol TransitionStore: JobQueue {
    var clock: any JobClock { get }
    var retryPolicy: RetryPolicy { get }

    /// In one transaction: loads job `id` (locked against other writers), lets `change` apply a transition at
    /// the given time, and saves the job with the history entry `change` returns (none when nil).
    func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws -> Job
}

extension TransitionStore {
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
