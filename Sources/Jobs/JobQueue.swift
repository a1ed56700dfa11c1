import Foundation

/// A durable queue of jobs shared by any number of workers.
///
/// Every operation is one transaction that loads a job, applies one transition of the job's state machine
/// (`Job+Transitions.swift`) and saves it with an entry in the job's history. Operations a worker makes on a
/// job it no longer holds (its lease ran out and another worker took it, or someone cancelled it) fail with
/// `JobTransitionError`, so a job's outcome is written once.
public protocol JobQueue: Sendable {
    /// Adds a job, or returns the existing one when a job with the same idempotency key exists.
    func enqueue(_ request: JobRequest) async throws -> Enqueued

    /// Takes the most urgent due job (highest priority, then earliest run-at) for `worker`, holding it for
    /// `leaseDuration` seconds; nil when there is none. Jobs whose lease ran out are taken over first.
    func claim(worker: String, leaseDuration: TimeInterval) async throws -> Job?

    /// Extends the lease of `worker` on a running job and records its progress. Returns false when the
    /// worker no longer holds the job (cancelled, or taken over after its lease ran out).
    func heartbeat(_ id: Int64, worker: String, leaseDuration: TimeInterval, progress: JobProgress?) async throws
        -> Bool

    /// Records the result of a job `worker` holds.
    func succeed(_ id: Int64, worker: String, result: JobResult) async throws -> Job

    /// Records a failed attempt: the job retries after a backoff, or goes dead.
    func fail(_ id: Int64, worker: String, failure: JobFailure) async throws -> Job

    /// Gives a job back unfinished, queued again without counting the attempt.
    func release(_ id: Int64, worker: String) async throws -> Job

    /// Cancels a job that is not final yet.
    func cancel(_ id: Int64) async throws -> Job

    /// Queues a dead or cancelled job again with fresh attempts.
    func retry(_ id: Int64) async throws -> Job

    func job(_ id: Int64) async throws -> Job?

    /// The most recent jobs first, only those `filter` lets through.
    func jobs(matching filter: JobFilter, limit: Int) async throws -> [Job]

    /// Replaces every file path and personal field the job's row and history hold (`Job.scrubbed(recipe:)` with
    /// the recipe `scrubbing` makes of the job's, and the history's details cleared), leaving none of the old
    /// values in the store's files: what deleting a recording leaves of it in the queue.
    func scrub(job id: Int64, recipe scrubbing: @escaping @Sendable (Job) throws -> JSONValue) async throws

    /// What happened to a job, oldest first.
    func history(of id: Int64) async throws -> [JobEvent]

    /// How many jobs there are of each kind in each status (only the pairs that have any).
    func jobCounts() async throws -> [JobCount]

    /// Deletes the history entries recorded before `cutoff` of jobs that are final (succeeded, dead, cancelled);
    /// a job still queued or running keeps its whole history. Returns how many entries went.
    func pruneHistory(before cutoff: Date) async throws -> Int

    /// Returns when new work may be available (another process enqueued or released a job), or after
    /// `timeout` seconds at the latest, so that idle workers neither spin nor miss due retries.
    func waitForWork(timeout: TimeInterval) async

    /// Closes the store's connections.
    func close() async throws
}

/// One entry of a job's history: a transition, who made it, and on which attempt.
public struct JobEvent: Sendable, Equatable, Codable {
    public var jobID: Int64
    public var at: Date
    /// enqueued, claimed, succeeded, retrying, dead, released, cancelled, retried.
    public var event: String
    public var worker: String?
    public var attempt: Int
    public var detail: String?

    /// The entry recording that `job` reached its current state.
    package init(after job: Job, event: String, worker: String?, detail: String? = nil) {
        self.jobID = job.id
        self.at = job.updatedAt
        self.event = event
        self.worker = worker
        self.attempt = job.attempts
        self.detail = detail
    }

    public init(jobID: Int64, at: Date, event: String, worker: String?, attempt: Int, detail: String?) {
        self.jobID = jobID
        self.at = at
        self.event = event
        self.worker = worker
        self.attempt = attempt
        self.detail = detail
    }
}

extension JobQueue {
    /// The most recent jobs first, optionally only those with `status`.
    public func jobs(status: JobStatus?, limit: Int) async throws -> [Job] {
        try await jobs(matching: JobFilter(status: status), limit: limit)
    }
}

/// The number of jobs of one kind in one status, for metrics.
public struct JobCount: Sendable, Equatable {
    public var kind: String
    public var status: JobStatus
    public var count: Int

    public init(kind: String, status: JobStatus, count: Int) {
        self.kind = kind
        self.status = status
        self.count = count
    }

    /// Rows of `kind, status, count` as the stores' `GROUP BY` gives them; unknown statuses are skipped.
    package static func parse(kind: String, status: String, count: Int) -> JobCount? {
        guard let status = JobStatus(rawValue: status) else { return nil }
        return JobCount(kind: kind, status: status, count: count)
    }
}

/// Which jobs a listing shows: every condition given must hold; nil conditions let every job through.
public struct JobFilter: Sendable, Equatable {
    public var status: JobStatus?
    public var kind: String?
    /// The idempotency key (the call id, unless the submitter named another).
    public var key: String?
    /// Only jobs changed at or after this time.
    public var updatedSince: Date?

    public init(status: JobStatus? = nil, kind: String? = nil, key: String? = nil, updatedSince: Date? = nil) {
        self.status = status
        self.kind = kind
        self.key = key
        self.updatedSince = updatedSince
    }
}

/// Failures of a store itself, each naming what it could not do.
public struct JobQueueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    package static func noSuchJob(_ id: Int64) -> JobQueueError { JobQueueError("no job \(id)") }
}
