import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import Jobs
import Logging
import ServiceLifecycle

/// `--history-days`: how long finished jobs' history is kept, for `worker` and `serve`; and the housekeeping
/// services those run.
struct HousekeepingOptions: ParsableArguments {
    @Option(
        help: """
            Days the history (job_events) of finished jobs is kept; older entries are pruned every hour, the jobs \
            themselves stay. Example: --history-days 30
            """)
    var historyDays: Double = 30

    func validate() throws {
        try OptionRange.check(historyDays, in: 0.01...36_500, flag: "--history-days", unit: " days")
    }

    /// History pruning, and with an observer (webhook events) the announcement of deaths no worker saw.
    func services(for queue: any JobQueue, observer: (any JobOutcomeObserver)?, logger: Logger) -> [any Service] {
        [QueueHousekeeping(queue: queue, retention: historyDays * 86_400, logger: logger)]
            + (observer.map { [DeathAnnouncements(queue: queue, observer: $0, logger: logger)] } ?? [])
    }
}
