/// Runs one job's work. Called on a worker thread (never on Swift concurrency's cooperative pool), so it may
/// block and burn CPU; it reports its stages through `progress` and throws to fail the attempt.
public protocol JobRunner: Sendable {
    func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult

    /// Removes what an attempt of `job` that died part-way left behind (hidden staging files), so that nothing of
    /// it lingers: called before a later attempt starts, and by the worker when an attempt's process crashed.
    func removeLeftovers(of job: Job)
}

extension JobRunner {
    /// Runners whose work leaves nothing behind need no clean-up.
    public func removeLeftovers(of job: Job) {}
}
