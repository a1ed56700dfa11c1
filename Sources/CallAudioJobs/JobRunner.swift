/// Runs one job's work. Called on a worker thread (never on Swift concurrency's cooperative pool), so it may
/// block and burn CPU; it reports its stages through `progress` and throws to fail the attempt.
public protocol JobRunner: Sendable {
    func run(_ job: Job, progress: JobProgressReporter) throws -> JobResult
}
