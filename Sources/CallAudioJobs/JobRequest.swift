import Foundation

/// What a submitter asks the queue for: a payload and how to schedule it.
public struct JobRequest: Sendable, Equatable, Codable {
    public var payload: JobPayload
    /// Higher runs first; defaults to the kind's priority (voicemail before calls before re-encodes).
    public var priority: Int
    /// The call id, or any key naming the work: a second request with the same key yields the first job.
    public var idempotencyKey: String?
    public var maxAttempts: Int

    public init(payload: JobPayload, priority: Int? = nil, idempotencyKey: String? = nil, maxAttempts: Int = 5) {
        self.payload = payload
        self.priority = priority ?? payload.kind.defaultPriority
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    /// The job this request becomes when enqueued at `now` (the store assigns the id).
    func makeJob(id: Int64 = 0, now: Date) -> Job {
        Job(
            id: id, payload: payload, priority: priority, idempotencyKey: idempotencyKey, status: .queued,
            attempts: 0, maxAttempts: maxAttempts, runAt: now, lease: nil, progress: nil, result: nil,
            failure: nil, createdAt: now, updatedAt: now)
    }
}

/// The answer to an enqueue: the job, and whether this request created it or found it by its key.
public struct Enqueued: Sendable, Equatable {
    public var job: Job
    /// False when a job with the same idempotency key already existed.
    public var isNew: Bool
}
