import ArgumentParser
import CallAudioJobs
import Logging

/// `--history-days`: how long finished jobs' history is kept, for `worker` and `serve`.
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

    func service(for queue: any JobQueue, logger: Logger) -> QueueHousekeeping {
        QueueHousekeeping(queue: queue, retention: historyDays * 86_400, logger: logger)
    }
}
