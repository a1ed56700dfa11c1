import Foundation
import Jobs
import Logging
import PostgresNIO

/// The job store for many machines: PostgreSQL, with claims by `SELECT … FOR UPDATE SKIP LOCKED` (workers
/// never wait on each other's rows) and `LISTEN/NOTIFY` to wake idle workers the moment work arrives.
///
/// The two operations every job goes through, claim and success, are one prepared statement each
/// (`PostgresHotStatements`), committed asynchronously (`synchronous_commit = off`, on connections of their own):
/// a server crash may forget the last fraction of a second of claims and successes, and those jobs then run
/// again, which the atomic outputs make harmless; they no longer wait for the disk's flush, which bounds a
/// queue on one disk to a few hundred jobs a second. Everything else (enqueue, failures, cancel, retry, lease
/// expiry) commits synchronously: it reads the job, applies the transition in Swift, and saves it only if the
/// row's `version` is unchanged (trying again otherwise).
public final class PostgresJobQueue: TransitionStore {
    static let channel = "callaudio_jobs"

    package let clock: any JobClock
    package let retryPolicy: RetryPolicy
    package let leaseReaper = LeaseReaper()
    private let client: PostgresClient
    /// Connections for the hot statements, with asynchronous commit.
    private let hotClient: PostgresClient
    private let logger: Logger
    private let wake = WakeSignal()
    private let background: Task<Void, Never>
    /// Set by `close`, so that the listener takes its connection's closing as the end, not as a failure.
    private let closing = Completion<Void>()

    /// Connects, brings the schema up to date (the queue's own migrations, then the application's: tables of its
    /// own beside the jobs, under the same named migrations), and starts listening for new work: once open, the
    /// queue misses no notification.
    public init(
        configuration: PostgresClient.Configuration, clock: any JobClock = SystemJobClock(),
        retryPolicy: RetryPolicy = RetryPolicy(), migrations: [PostgresMigration] = [], logger: Logger
    ) async throws {
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.logger = logger
        // The pool's own chatter (connections opening and closing) only at error level; query failures reach
        // callers as errors anyway.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        self.client = client
        var hotConfiguration = configuration
        hotConfiguration.options.additionalStartupParameters.append(("synchronous_commit", "off"))
        let hotClient = PostgresClient(configuration: hotConfiguration, backgroundLogger: poolLogger)
        self.hotClient = hotClient
        let wake = wake
        let listening = Completion<Void>()
        let closing = closing
        background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await hotClient.run() }
                group.addTask {
                    await Self.listen(client, wake: wake, listening: listening, closing: closing, logger: logger)
                }
            }
        }
        do {
            try await PostgresJobSchema.migrate(client, adding: migrations, logger: logger)
        } catch {
            background.cancel()
            throw JobQueueError("cannot open the PostgreSQL queue: \(String(reflecting: error))")
        }
        let listens = await firstOf(
            { await listening.wait() != nil }, { (try? await Task.sleep(for: .seconds(30))) == nil })
        guard listens else {
            background.cancel()
            throw JobQueueError("cannot open the PostgreSQL queue: LISTEN \(Self.channel) did not start in 30 s")
        }
    }

    /// Holds one connection that listens for `NOTIFY callaudio_jobs`, reconnecting after failures; sets
    /// `listening` once the first `LISTEN` is in place.
    private static func listen(
        _ client: PostgresClient, wake: WakeSignal, listening: Completion<Void>, closing: Completion<Void>,
        logger: Logger
    ) async {
        while !Task.isCancelled && !closing.isSet {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        listening.set()
                        // Work may have arrived while a reconnecting listener was not listening.
                        wake.signal()
                        for try await _ in notifications { wake.signal() }
                    }
                }
            } catch {
                if Task.isCancelled || closing.isSet { return }
                logger.warning(
                    "LISTEN connection lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    public func enqueue(_ request: JobRequest) async throws -> Enqueued {
        try await enqueue(request) { _, _ in }
    }

    /// Enqueues `request` and, when the job is new, runs `alongside` with it in the same transaction: the
    /// application's own rows (a recording) are written with their job or not at all.
    package func enqueue(
        _ request: JobRequest, alongside: @escaping @Sendable (Job, PostgresConnection) async throws -> Void
    ) async throws -> Enqueued {
        let now = clock.now()
        let row = try JobRow(request.makeJob(now: now))
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO jobs (\(unescaped: JobRow.columns.dropFirst().joined(separator: ", ")))
                VALUES (\(row.kind), \(row.recipe), \(row.priority), \(row.idempotencyKey), \(row.status),
                        \(row.attempts), \(row.maxAttempts), \(row.runAt), \(row.leaseWorker), \(row.leaseExpiresAt),
                        \(row.progress), \(row.result), \(row.failure), \(row.createdAt), \(row.updatedAt))
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING \(unescaped: JobRow.columnList)
                """, logger: logger)
            if let job = try await Self.jobs(inserted).first {
                try await Self.append(JobEvent(after: job, event: "enqueued", worker: nil), connection, logger)
                try await alongside(job, connection)
                try await connection.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
                return Enqueued(job: job, isNew: true)
            }
            let existing = try await connection.query(
                "SELECT \(unescaped: JobRow.columnList) FROM jobs WHERE idempotency_key = \(request.idempotencyKey)",
                logger: logger)
            guard let job = try await Self.jobs(existing).first else {
                throw JobQueueError("enqueue: key \(request.idempotencyKey ?? "") neither inserted nor found")
            }
            return Enqueued(job: job, isNew: false)
        }
    }

    /// One prepared statement (`PostgresHotStatements.Claim`).
    package func claimDue(worker: String, leaseDuration: TimeInterval, at now: Date) async throws -> Job? {
        let time = now.timeIntervalSince1970
        let statement = PostgresHotStatements.Claim(
            now: time, worker: worker, leaseExpiresAt: time + leaseDuration,
            progress: try JobRow.json(JobProgress.claimed))
        for try await job in try await hotClient.execute(statement, logger: logger) { return job }
        return nil
    }

    /// One prepared statement (`PostgresHotStatements.Succeed`) when `worker` still holds the job; otherwise
    /// the general path reads the job and reports why the transition is refused.
    public func succeed(_ id: Int64, worker: String, result: JobResult) async throws -> Job {
        let statement = PostgresHotStatements.Succeed(
            now: clock.now().timeIntervalSince1970, id: id, worker: worker, result: try JobRow.json(result),
            progress: try JobRow.json(JobProgress.done))
        for try await job in try await hotClient.execute(statement, logger: logger) { return job }
        return try await succeedThroughTransition(id, worker: worker, result: result)
    }

    package func expireLeases(at now: Date) async throws -> Int {
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            let expired = try await Self.jobs(
                connection.query(
                    """
                    SELECT \(unescaped: JobRow.columnList) FROM jobs
                    WHERE status = 'running' AND lease_expires_at <= \(now.timeIntervalSince1970)
                    LIMIT 100 FOR UPDATE SKIP LOCKED
                    """, logger: logger))
            for var job in expired {
                let worker = job.lease?.worker
                try job.expireLease(at: now)
                let event = JobEvent(
                    after: job, event: job.status.rawValue, worker: worker, detail: job.failure?.description)
                _ = try await Self.save(job, event, ifVersion: nil, connection, logger)
            }
            return expired.count
        }
    }

    package func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws
        -> Job
    {
        try await client.withConnection { connection in
            while true {
                let now = clock.now()
                let rows = try await connection.query(
                    "SELECT version, \(unescaped: JobRow.columnList) FROM jobs WHERE id = \(id)", logger: logger)
                guard let (version, stored) = try await Self.versionedJobs(rows).first else {
                    throw JobQueueError.noSuchJob(id)
                }
                var job = stored
                let event = try change(&job, now)
                guard try await Self.save(job, event, ifVersion: version, connection, logger) else { continue }
                if job.status == .queued && stored.status != .queued {
                    try await connection.query("SELECT pg_notify(\(Self.channel), '')", logger: logger)
                }
                return job
            }
        }
    }

    public func scrub(job id: Int64, recipe scrubbing: @escaping @Sendable (Job) throws -> JSONValue) async throws {
        guard let job = try await job(id) else { throw JobQueueError.noSuchJob(id) }
        let scrubbed = try JobRow(job.scrubbed(recipe: try scrubbing(job)))
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                UPDATE jobs SET recipe = \(scrubbed.recipe), result = \(scrubbed.result), failure = \(scrubbed.failure),
                    idempotency_key = NULL
                WHERE id = \(id)
                """, logger: logger)
            try await connection.query("UPDATE job_events SET detail = NULL WHERE job_id = \(id)", logger: logger)
        }
    }

    public func jobCounts() async throws -> [JobCount] {
        var counts: [JobCount] = []
        let rows = try await client.query(
            "SELECT kind, status, count(*) FROM jobs GROUP BY kind, status", logger: logger)
        for try await (kind, status, count) in rows.decode((String, String, Int).self) {
            if let parsed = JobCount.parse(kind: kind, status: status, count: count) { counts.append(parsed) }
        }
        return counts
    }

    public func pruneHistory(before cutoff: Date) async throws -> Int {
        let rows = try await client.query(
            """
            WITH pruned AS (
                DELETE FROM job_events WHERE at < \(cutoff.timeIntervalSince1970)
                  AND job_id IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'dead', 'cancelled'))
                RETURNING 1
            )
            SELECT count(*) FROM pruned
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    public func job(_ id: Int64) async throws -> Job? {
        try await Self.jobs(
            client.query("SELECT \(unescaped: JobRow.columnList) FROM jobs WHERE id = \(id)", logger: logger)
        ).first
    }

    public func jobs(matching filter: JobFilter, limit: Int) async throws -> [Job] {
        let (status, kind, key) = (filter.status?.rawValue, filter.kind, filter.key)
        let since = filter.updatedSince?.timeIntervalSince1970
        return try await Self.jobs(
            client.query(
                """
                SELECT \(unescaped: JobRow.columnList) FROM jobs
                WHERE (\(status)::text IS NULL OR status = \(status)) AND (\(kind)::text IS NULL OR kind = \(kind))
                  AND (\(key)::text IS NULL OR idempotency_key = \(key))
                  AND (\(since)::double precision IS NULL OR updated_at >= \(since))
                ORDER BY id DESC LIMIT \(limit)
                """, logger: logger))
    }

    public func history(of id: Int64) async throws -> [JobEvent] {
        let rows = try await client.query(
            "SELECT job_id, at, event, worker, attempt, detail FROM job_events WHERE job_id = \(id) ORDER BY id",
            logger: logger)
        var events: [JobEvent] = []
        for try await (jobID, at, event, worker, attempt, detail) in rows.decode(
            (Int64, Double, String, String?, Int, String?).self)
        {
            events.append(
                JobEvent(
                    jobID: jobID, at: Date(timeIntervalSince1970: at), event: event, worker: worker, attempt: attempt,
                    detail: detail))
        }
        return events
    }

    public func waitForWork(timeout: TimeInterval) async {
        await wake.wait(timeout: timeout)
    }

    /// The connections of the queue's database, for the application's own tables.
    package var database: PostgresClient { client }

    public func close() async throws {
        closing.set()
        background.cancel()
        await background.value
    }

    private static func jobs(_ rows: PostgresRowSequence) async throws -> [Job] {
        var jobs: [Job] = []
        for try await row in rows { jobs.append(try JobRow(row.makeRandomAccess()).makeJob()) }
        return jobs
    }

    /// Jobs read with their row version, for a compare-and-swap save.
    private static func versionedJobs(_ rows: PostgresRowSequence) async throws -> [(Int64, Job)] {
        var jobs: [(Int64, Job)] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            jobs.append((try cells["version"].decode(Int64.self), try JobRow(cells).makeJob()))
        }
        return jobs
    }

    /// Writes the job's changed columns and, in the same statement, its history entry when there is one.
    /// With `ifVersion`, writes only if the row is still at that version; returns whether it wrote.
    private static func save(
        _ job: Job, _ event: JobEvent?, ifVersion version: Int64?, _ connection: PostgresConnection, _ logger: Logger
    ) async throws -> Bool {
        let row = try JobRow(job)
        let saved = try await connection.query(
            """
            WITH saved AS (
                UPDATE jobs SET status = \(row.status), attempts = \(row.attempts), max_attempts = \(row.maxAttempts),
                    run_at = \(row.runAt), lease_worker = \(row.leaseWorker), lease_expires_at = \(row.leaseExpiresAt),
                    progress = \(row.progress), result = \(row.result), failure = \(row.failure),
                    updated_at = \(row.updatedAt), version = version + 1
                WHERE id = \(row.id) AND (\(version)::bigint IS NULL OR version = \(version))
                RETURNING id),
            logged AS (
                INSERT INTO job_events (job_id, at, event, worker, attempt, detail)
                SELECT id, \(event?.at.timeIntervalSince1970), \(event?.event), \(event?.worker), \(event?.attempt),
                    \(event?.detail)
                FROM saved WHERE \(event?.event)::text IS NOT NULL)
            SELECT count(*) FROM saved
            """, logger: logger)
        var count: Int64 = 0
        for try await value in saved.decode(Int64.self) { count = value }
        return count == 1
    }

    private static func append(_ event: JobEvent, _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO job_events (job_id, at, event, worker, attempt, detail)
            VALUES (\(event.jobID), \(event.at.timeIntervalSince1970), \(event.event), \(event.worker),
                    \(event.attempt), \(event.detail))
            """, logger: logger)
    }
}

/// Lets a transition error thrown inside a transaction reach the caller as itself, not wrapped.
private func unwrapTransactionError<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as PostgresTransactionError {
        throw error.closureError ?? error
    }
}
