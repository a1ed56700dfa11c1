import Foundation
import Logging
import PostgresNIO

/// The job store for many machines: PostgreSQL, with claims by `SELECT … FOR UPDATE SKIP LOCKED` (workers
/// never wait on each other's rows) and `LISTEN/NOTIFY` to wake idle workers the moment work arrives.
///
/// The two operations every job goes through are one round trip each where possible: a claim is one statement,
/// and other transitions read the job, apply the transition in Swift, and save it only if the row's `version`
/// is unchanged (trying again otherwise), with no transaction held open across round trips.
public final class PostgresJobQueue: TransitionStore {
    static let channel = "callaudio_jobs"

    let clock: any JobClock
    let retryPolicy: RetryPolicy
    let leaseReaper = LeaseReaper()
    private let client: PostgresClient
    private let logger: Logger
    private let wake = WakeSignal()
    private let background: Task<Void, Never>

    /// Connects, brings the schema up to date, and starts listening for new work: once open, the queue misses
    /// no notification.
    public init(
        configuration: PostgresClient.Configuration, clock: any JobClock = SystemJobClock(),
        retryPolicy: RetryPolicy = RetryPolicy(), logger: Logger
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
        let wake = wake
        let listening = Completion<Void>()
        background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await Self.listen(client, wake: wake, listening: listening, logger: logger) }
            }
        }
        do {
            try await PostgresJobSchema.migrate(client, logger: logger)
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
        _ client: PostgresClient, wake: WakeSignal, listening: Completion<Void>, logger: Logger
    ) async {
        while !Task.isCancelled {
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
                if Task.isCancelled { return }
                logger.warning(
                    "LISTEN connection lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    public func enqueue(_ request: JobRequest) async throws -> Enqueued {
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

    /// One statement: `Job.claim` applied in SQL to the most urgent due row nobody else is claiming, with its
    /// history entry. The conformance suite checks that the result equals the Swift transition's.
    func claimDue(worker: String, leaseDuration: TimeInterval, at now: Date) async throws -> Job? {
        let time = now.timeIntervalSince1970
        let progress = try JobRow.json(JobProgress.claimed)
        return try await Self.jobs(
            client.query(
                """
                WITH candidate AS (
                    SELECT id FROM jobs WHERE status IN ('queued', 'retrying') AND run_at <= \(time)
                    ORDER BY priority DESC, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
                claimed AS (
                    UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, lease_worker = \(worker),
                        lease_expires_at = \(time + leaseDuration), progress = \(progress), updated_at = \(time),
                        version = jobs.version + 1
                    FROM candidate WHERE jobs.id = candidate.id
                    RETURNING jobs.*),
                logged AS (
                    INSERT INTO job_events (job_id, at, event, worker, attempt)
                    SELECT id, \(time), 'claimed', \(worker), attempts FROM claimed)
                SELECT \(unescaped: JobRow.columnList) FROM claimed
                """, logger: logger)
        ).first
    }

    /// One statement: `Job.succeed` applied in SQL when `worker` still holds the job, with its history entry.
    /// When it does not, the general path reads the job and reports why the transition is refused.
    public func succeed(_ id: Int64, worker: String, result: JobResult) async throws -> Job {
        let time = clock.now().timeIntervalSince1970
        let resultJSON = try JobRow.json(result)
        let progress = try JobRow.json(JobProgress.done)
        let saved = try await Self.jobs(
            client.query(
                """
                WITH saved AS (
                    UPDATE jobs SET status = 'succeeded', result = \(resultJSON), failure = NULL,
                        progress = \(progress), lease_worker = NULL, lease_expires_at = NULL, updated_at = \(time),
                        version = version + 1
                    WHERE id = \(id) AND status = 'running' AND lease_worker = \(worker)
                    RETURNING jobs.*),
                logged AS (
                    INSERT INTO job_events (job_id, at, event, worker, attempt)
                    SELECT id, \(time), 'succeeded', \(worker), attempts FROM saved)
                SELECT \(unescaped: JobRow.columnList) FROM saved
                """, logger: logger))
        if let job = saved.first { return job }
        return try await succeedThroughTransition(id, worker: worker, result: result)
    }

    func expireLeases(at now: Date) async throws -> Int {
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

    func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws -> Job {
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

    public func job(_ id: Int64) async throws -> Job? {
        try await Self.jobs(
            client.query("SELECT \(unescaped: JobRow.columnList) FROM jobs WHERE id = \(id)", logger: logger)
        ).first
    }

    public func jobs(status: JobStatus?, limit: Int) async throws -> [Job] {
        try await Self.jobs(
            client.query(
                """
                SELECT \(unescaped: JobRow.columnList) FROM jobs
                WHERE \(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)
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

    public func close() async throws {
        background.cancel()
        await background.value
    }

    private static func jobs(_ rows: PostgresRowSequence) async throws -> [Job] {
        var jobs: [Job] = []
        for try await row in rows { jobs.append(try jobRow(row.makeRandomAccess()).makeJob()) }
        return jobs
    }

    /// Jobs read with their row version, for a compare-and-swap save.
    private static func versionedJobs(_ rows: PostgresRowSequence) async throws -> [(Int64, Job)] {
        var jobs: [(Int64, Job)] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            jobs.append((try cells["version"].decode(Int64.self), try jobRow(cells).makeJob()))
        }
        return jobs
    }

    private static func jobRow(_ cells: PostgresRandomAccessRow) throws -> JobRow {
        try JobRow(
            id: cells["id"].decode(Int64.self), kind: cells["kind"].decode(String.self),
            recipe: cells["recipe"].decode(String.self), priority: cells["priority"].decode(Int.self),
            idempotencyKey: cells["idempotency_key"].decode(String?.self), status: cells["status"].decode(String.self),
            attempts: cells["attempts"].decode(Int.self), maxAttempts: cells["max_attempts"].decode(Int.self),
            runAt: cells["run_at"].decode(Double.self), leaseWorker: cells["lease_worker"].decode(String?.self),
            leaseExpiresAt: cells["lease_expires_at"].decode(Double?.self),
            progress: cells["progress"].decode(String?.self), result: cells["result"].decode(String?.self),
            failure: cells["failure"].decode(String?.self), createdAt: cells["created_at"].decode(Double.self),
            updatedAt: cells["updated_at"].decode(Double.self))
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
