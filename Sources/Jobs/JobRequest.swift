import Foundation

/// What a submitter asks the queue for: a kind and its recipe, and how to schedule them.
public struct JobRequest: Sendable, Equatable, Codable {
    /// The kind of work (`Job.kind`).
    public var kind: String
    /// The kind's recipe, stamped with the format version (`Job.stampedRecipe(_:)`).
    public var recipe: JSONValue
    /// Higher runs first.
    public var priority: Int
    /// The call id, or any key naming the work: a second request with the same key yields the first job.
    public var idempotencyKey: String?
    public var maxAttempts: Int

    public init(kind: String, recipe: JSONValue, priority: Int, idempotencyKey: String? = nil, maxAttempts: Int = 5) {
        self.kind = kind
        self.recipe = recipe
        self.priority = priority
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    /// The job this request becomes when enqueued at `now` (the store assigns the id).
    package func makeJob(id: Int64 = 0, now: Date) -> Job {
        Job(
            id: id, kind: kind, recipe: recipe, priority: priority, idempotencyKey: idempotencyKey, status: .queued,
            attempts: 0, maxAttempts: maxAttempts, runAt: now, lease: nil, progress: nil, result: nil,
            failure: nil, createdAt: now, updatedAt: now)
    }
}

/// The answer to an enqueue: the job, and whether this request created it or found it by its key.
public struct Enqueued: Sendable, Equatable {
    public var job: Job
    /// False when a job with the same idempotency key already existed.
    public var isNew: Bool

    package init(job: Job, isNew: Bool) {
        self.job = job
        self.isNew = isNew
    }
}
