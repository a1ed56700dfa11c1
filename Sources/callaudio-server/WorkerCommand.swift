import ArgumentParser
import CallAudioCLI
import CallAudioJobs
import CallRecordings
import Foundation
import Jobs
import Logging
import ServiceLifecycle

/// `callaudio-server worker`: runs queued jobs until SIGTERM or SIGINT.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run queued jobs (calls, voicemails, re-encodes) until stopped.",
        discussion: """
            Claims the most urgent due job (voicemail before calls before re-encodes), runs it on a worker \
            thread while a heartbeat keeps its lease, records the result, and claims the next. Any number of \
            worker processes may share a queue: a SQLite file on one machine, PostgreSQL across machines. When \
            a worker dies, its jobs' leases run out and other workers take them over.

            On SIGTERM or SIGINT the worker stops claiming, lets running jobs finish within --grace-seconds, \
            and gives the rest back to the queue. Logs go to standard error, one line per event with the job \
            id, kind, stage and duration.

            Examples:
              callaudio-server worker --queue sqlite:/var/lib/callaudio/jobs.db
              callaudio-server worker --queue postgres://callaudio@db.internal/callaudio --workers 8
            """)

    @OptionGroup var queue: QueueOptions

    @OptionGroup var housekeeping: HousekeepingOptions

    @OptionGroup(title: "Webhooks (announce the recordings of a service's storage)") var webhooks: WebhookOptions

    @Option(
        help: """
            The service's storage: a bucket (s3://BUCKET/PREFIX, as serve --storage) whose recordings' jobs this \
            worker fetches and stores; with --webhook-url, the storage whose recordings it announces. \
            Example: --storage /srv/calls, --storage s3://calls/recordings
            """)
    var storage: String?

    @OptionGroup(title: "Storage") var storageOptions: StorageOptions

    @Option(
        help: "Jobs this process runs at once, one thread each (default: the number of cores). Example: --workers 4")
    var workers: Int?

    @Option(
        help: """
            Seconds a claimed job stays held without a heartbeat; the heartbeat renews it every third of this. \
            A killed worker's jobs are taken over this long after its last heartbeat. Example: --lease-seconds 30
            """)
    var leaseSeconds: Double = 30

    @Option(help: "Seconds running jobs may take to finish after SIGTERM/SIGINT. Example: --grace-seconds 60")
    var graceSeconds: Double = 60

    @Option(
        help: """
            The longest an idle worker waits before looking for due work again (PostgreSQL also wakes it at once \
            on new work). Example: --poll-seconds 1
            """)
    var pollSeconds: Double = 1

    func validate() throws {
        if let workers { try OptionRange.check(workers, in: 1...1_024, flag: "--workers") }
        try OptionRange.check(leaseSeconds, in: 1...86_400, flag: "--lease-seconds", unit: " s")
        try OptionRange.check(graceSeconds, in: 0...86_400, flag: "--grace-seconds", unit: " s")
        try OptionRange.check(pollSeconds, in: 0.01...3_600, flag: "--poll-seconds", unit: " s")
        if webhooks.webhookURL != nil && storage == nil {
            throw ValidationError("--webhook-url needs --storage: the folder whose recordings to announce.")
        }
    }

    func run() async throws {
        makeCreatedFilesPrivate()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "callaudio.worker")
        try await withQueue(queue) { jobs in
            let storage = try self.storage.map { try storageOptions.open($0) }
            let observer = try storage.flatMap { try webhooks.events(storage: $0) }
            let pool = WorkerPool(
                queue: jobs, runner: try storageOptions.runner(WebhookOptions.isolatedRunner(), over: storage),
                observer: observer,
                configuration: .init(
                    workers: workers ?? ProcessInfo.processInfo.activeProcessorCount, leaseDuration: leaseSeconds,
                    pollInterval: pollSeconds, gracePeriod: graceSeconds),
                logger: logger)
            let group = ServiceGroup(
                services: [pool] + housekeeping.services(for: jobs, observer: observer, logger: logger),
                gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [],
                logger: logger)
            try await group.run()
        }
    }
}
