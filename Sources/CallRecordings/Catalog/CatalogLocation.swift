import CallAudioJobs
import Jobs
import Logging

extension JobQueueLocation {
    /// Opens the queue with the recordings' catalog in its database, creating or migrating both as needed: what
    /// the service, its workers and its command line open, so that every writer of the jobs finds the catalog's
    /// trigger in place.
    public func openCatalog(
        clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy(), logger: Logger
    ) async throws -> any RecordingCatalog {
        switch target {
        case .sqlite(let path):
            try SQLiteRecordingCatalog(path: path, clock: clock, retryPolicy: retryPolicy)
        case .postgres(let configuration):
            try await PostgresRecordingCatalog(
                configuration: configuration, clock: clock, retryPolicy: retryPolicy, logger: logger)
        }
    }
}
