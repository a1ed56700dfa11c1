/// Jobs to queue when a job ends for good: how a deployment announces its recordings (webhook events).
///
/// The worker that records a job's success or death asks the observer and enqueues what it answers, after the
/// outcome is recorded, so that an event never announces an outcome the queue does not show yet. Requests carry
/// idempotency keys derived from the job, so asking twice queues nothing twice.
public protocol JobOutcomeObserver: Sendable {
    /// The requests to enqueue now that `job` is final (`succeeded` with its result, or `dead` with its failure);
    /// throws when the job's recipe cannot be read.
    func requests(after job: Job) async throws -> [JobRequest]
}
