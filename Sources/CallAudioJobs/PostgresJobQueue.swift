import Foundation
import Logging
import PostgresNIO

/// The job store for many machines: PostgreSQL, with claims by `SELECT … FOR UPDATE SKIP LOCKED` (workers
/// never wait on each other's rows) and `LISTEN/NOTIFY` to wake idle workers the moment work arrives.
public final class PostgresJobQueue: TransitionStore {
    static let channel = "callaudio_jobs"

    let clock: any JobClock
    let retryPolicy: RetryPolicy
    private let client: PostgresClient
    private let logger: Logger
    private let wake = WakeSignal()
    private let background: Task<Void, Never>

    /// Connects, brings the schema up to date, and starts listening for new work.
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
        background = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                group.addTask { await Self.listen(client, wake: wake, logger: logger) }
            }
        }
        do {
            try await PostgresJobSchema.migrate(client, logger: logger)
        } catch {
            background.cancel()
            throw JobQueueError("cannot open the PostgreSQL queue: \(String(reflecting: error))")
        }
    }

    /// Holds one connection that listens for `NOTIFY callaudio_jobs`, reconnecting after failures.
    private static func listen(_ client: PostgresClient, wake: WakeSignal, logger: Logger) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        for try await _ in notifications { wake.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
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

    public func claim(worker: String, leaseDuration: TimeInterval) async throws -> Job? {
        let now = clock.now()
        let time = now.timeIntervalSince1970
        let logger = logger
        return try await client.withTransaction(logger: logger) { connection in
            while true {
                let expired = try await Self.jobs(
                    connection.query(
                        """
                        SELECT \(unescaped: JobRow.columnList) FROM jobs
                        WHERE status = 'running' AND lease_expires_at <= \(time)
                        ORDER BY lease_expires_at LIMIT 1 FOR UPDATE SKIP LOCKED
                        """, logger: logger))
                let candidates =
                    try await expired.isEmpty
                    ? Self.jobs(
                        connection.query(
                            """
                            SELECT \(unescaped: JobRow.columnList) FROM jobs
                            WHERE status IN ('queued', 'retrying') AND run_at <= \(time)
                            ORDER BY priority DESC, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
                            """, logger: logger)) : expired
                guard var job = candidates.first else { return nil }
                let claimed = try job.claim(by: worker, at: now, leaseDuration: leaseDuration)
                try await Self.save(job, connection, logger)
                if claimed {
                    try await Self.append(JobEvent(after: job, event: "claimed", worker: worker), connection, logger)
                    return job
                }
                try await Self.append(
                    JobEvent(after: job, event: "dead", worker: nil, detail: job.failure?.description), connection,
                    logger)
            }
        }
    }

    func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws -> Job {
        let now = clock.now()
        let logger = logger
        return try await unwrapTransactionError {
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    "SELECT \(unescaped: JobRow.columnList) FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger)
                guard var job = try await Self.jobs(rows).first else { throw JobQueueError.noSuchJob(id) }
                let before = job.status
                let event = try change(&job, now)
                try await Self.save(job, connection, logger)
                if let event { try await Self.append(event, connection, logger) }
                if job.status == .queued && before != .queued {
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
        for try await row in rows {
            let cells = row.makeRandomAccess()
            jobs.append(
                try JobRow(
                    id: cells["id"].decode(Int64.self), kind: cells["kind"].decode(String.self),
                    recipe: cells["recipe"].decode(String.self), priority: cells["priority"].decode(Int.self),
                    idempotencyKey: cells["idempotency_key"].decode(String?.self),
                    status: cells["status"].decode(String.self), attempts: cells["attempts"].decode(Int.self),
                    maxAttempts: cells["max_attempts"].decode(Int.self), runAt: cells["run_at"].decode(Double.self),
                    leaseWorker: cells["lease_worker"].decode(String?.self),
                    leaseExpiresAt: cells["lease_expires_at"].decode(Double?.self),
                    progress: cells["progress"].decode(String?.self), result: cells["result"].decode(String?.self),
                    failure: cells["failure"].decode(String?.self), createdAt: cells["created_at"].decode(Double.self),
                    updatedAt: cells["updated_at"].decode(Double.self)
                ).makeJob())
        }
        return jobs
    }

    private static func save(_ job: Job, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let row = try JobRow(job)
        try await connection.query(
            """
            UPDATE jobs SET status = \(row.status), attempts = \(row.attempts), max_attempts = \(row.maxAttempts),
                run_at = \(row.runAt), lease_worker = \(row.leaseWorker), lease_expires_at = \(row.leaseExpiresAt),
                progress = \(row.progress), result = \(row.result), failure = \(row.failure),
                updated_at = \(row.updatedAt)
            WHERE id = \(row.id)
            """, logger: logger)
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
