import Foundation
import GRDB
import Jobs

/// The embedded job store: one SQLite file in WAL mode, shared safely by several worker processes on one
/// machine (each write is an IMMEDIATE transaction; a process waits for another's write up to a busy timeout).
///
/// Commits use `synchronous = NORMAL`, SQLite's advice for WAL: a killed process loses nothing, while a power
/// cut or kernel crash may forget the last commits (a job then runs again or must be resubmitted) in exchange
/// for not waiting on the disk's flush at every claim and result.
///
/// `secure_delete` is on, and scrubbing a job ends with a checkpoint that empties the WAL: what a deleted
/// recording's rows held is overwritten in the file, not just unlinked from the b-tree.
public final class SQLiteJobQueue: TransitionStore {
    package let clock: any JobClock
    package let retryPolicy: RetryPolicy
    package let leaseReaper = LeaseReaper()
    private let pool: any DatabaseWriter

    /// Opens (creating when missing) the queue file at `path` and brings its schema up to date: the queue's own
    /// migrations, then the application's (`migrations`: tables of its own beside the jobs, under the same named
    /// migrations).
    public init(
        path: String, clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy(),
        migrations: [SQLiteMigration] = []
    ) throws {
        self.clock = clock
        self.retryPolicy = retryPolicy
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrate(pool, with: SQLiteJobSchema.migrator(adding: migrations))
            self.pool = pool
        } catch {
            throw JobQueueError("cannot open the SQLite queue \(path): \(error)")
        }
    }

    /// Applies the migrations `pool`'s file lacks. Worker processes started together on one file race here: GRDB
    /// reads which migrations are applied before each one's transaction, so a process can run a migration another
    /// has just applied and fail on what it created. A failure after which more migrations are applied than before
    /// is that race, and the process reads again and goes on; one after which nothing moved is the migration's own.
    /// The counts are read on the writer's connection: a reader's, opened read-only, would be the file's last
    /// connection to close and could not checkpoint the WAL, leaving the jobs where a read-only open cannot see them.
    private static func migrate(_ pool: DatabasePool, with migrator: DatabaseMigrator) throws {
        let appliedCount = { try pool.writeWithoutTransaction { try migrator.appliedMigrations($0).count } }
        var applied = try appliedCount()
        while true {
            do {
                try migrator.migrate(pool)
                return
            } catch {
                let nowApplied = try appliedCount()
                guard nowApplied > applied else { throw error }
                applied = nowApplied
            }
        }
    }

    /// Opens the queue file at `path` only to read it, for commands that only look (`jobs list`, `jobs show`)
    /// at a file this process may not write: a queue of another user's workers, a copy handed over for
    /// inspection, a read-only mount. While workers run, their WAL shared-memory file exists and is read as
    /// usual; when there is none and this process may not make one (SQLite needs it in WAL mode), the file is
    /// read as immutable (SQLite's `immutable=1`), which is sound because then nobody is writing it.
    public init(readingOnly path: String, clock: any JobClock = SystemJobClock()) throws {
        self.clock = clock
        self.retryPolicy = RetryPolicy()
        var configuration = Configuration()
        configuration.readonly = true
        if let shared = try? DatabaseQueue(path: path, configuration: configuration),
            (try? shared.read({ try $0.tableExists("jobs") })) == true
        {
            pool = shared
            return
        }
        do {
            pool = try DatabaseQueue(
                path: URL(fileURLWithPath: path).absoluteString + "?immutable=1", configuration: configuration)
        } catch {
            throw JobQueueError("cannot read the SQLite queue \(path): \(error)")
        }
    }

    public func enqueue(_ request: JobRequest) async throws -> Enqueued {
        try await enqueue(request) { _, _ in }
    }

    /// Enqueues `request` and, when the job is new, runs `alongside` with it in the same transaction: the
    /// application's own rows (a recording) are written with their job or not at all.
    package func enqueue(_ request: JobRequest, alongside: @escaping @Sendable (Job, Database) throws -> Void)
        async throws -> Enqueued
    {
        let now = clock.now()
        let inserted = try JobRow(request.makeJob(now: now))
        return try await pool.write { db in
            var row = inserted
            if let key = request.idempotencyKey,
                let existing = try Row.fetchOne(
                    db, sql: "SELECT \(JobRow.columnList) FROM jobs WHERE idempotency_key = ?", arguments: [key])
            {
                return Enqueued(job: try JobRow(existing).makeJob(), isNew: false)
            }
            try db.execute(
                sql: """
                    INSERT INTO jobs (\(JobRow.columns.dropFirst().joined(separator: ", ")))
                    VALUES (\(Array(repeating: "?", count: JobRow.columns.count - 1).joined(separator: ", ")))
                    """,
                arguments: StatementArguments(row.databaseValues.dropFirst()))
            row.id = db.lastInsertedRowID
            let job = try row.makeJob()
            try Self.append(JobEvent(after: job, event: "enqueued", worker: nil), db)
            try alongside(job, db)
            return Enqueued(job: job, isNew: true)
        }
    }

    package func claimDue(worker: String, leaseDuration: TimeInterval, at now: Date) async throws -> Job? {
        try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(JobRow.columnList) FROM jobs
                        WHERE status IN ('queued', 'retrying') AND run_at <= ?
                        ORDER BY priority DESC, run_at, id LIMIT 1
                        """,
                    arguments: [now.timeIntervalSince1970])
            else { return nil }
            var job = try JobRow(row).makeJob()
            try job.claim(by: worker, at: now, leaseDuration: leaseDuration)
            try Self.append(JobEvent(after: job, event: "claimed", worker: worker), db)
            return try Self.save(job, db)
        }
    }

    package func expireLeases(at now: Date) async throws -> Int {
        let time = now.timeIntervalSince1970
        // A read first: idle workers ask often, and reading takes no write lock.
        let anyExpired = try await pool.read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'running' AND lease_expires_at <= ?)",
                arguments: [time]) ?? false
        }
        guard anyExpired else { return 0 }
        return try await pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(JobRow.columnList) FROM jobs WHERE status = 'running' AND lease_expires_at <= ?",
                arguments: [time])
            for row in rows {
                var job = try JobRow(row).makeJob()
                let worker = job.lease?.worker
                try job.expireLease(at: now)
                _ = try Self.save(job, db)
                try Self.append(
                    JobEvent(after: job, event: job.status.rawValue, worker: worker, detail: job.failure?.description),
                    db)
            }
            return rows.count
        }
    }

    package func update(_ id: Int64, _ change: @escaping @Sendable (inout Job, Date) throws -> JobEvent?) async throws
        -> Job
    {
        let now = clock.now()
        return try await pool.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(JobRow.columnList) FROM jobs WHERE id = ?", arguments: [id])
            else { throw JobQueueError.noSuchJob(id) }
            var job = try JobRow(row).makeJob()
            let event = try change(&job, now)
            if let event { try Self.append(event, db) }
            return try Self.save(job, db)
        }
    }

    public func scrub(job id: Int64, recipe scrubbing: @escaping @Sendable (Job) throws -> JSONValue) async throws {
        try await overwrite { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(JobRow.columnList) FROM jobs WHERE id = ?", arguments: [id])
            else { throw JobQueueError.noSuchJob(id) }
            let job = try JobRow(row).makeJob()
            let scrubbed = try JobRow(job.scrubbed(recipe: try scrubbing(job)))
            try db.execute(
                sql: "UPDATE jobs SET recipe = ?, result = ?, failure = ?, idempotency_key = NULL WHERE id = ?",
                arguments: [scrubbed.recipe, scrubbed.result, scrubbed.failure, id])
            try db.execute(sql: "UPDATE job_events SET detail = NULL WHERE job_id = ?", arguments: [id])
        }
    }

    /// Writes in one transaction, then leaves no copy of what the write replaced in the file: for personal data
    /// that must go. `secure_delete` zeroes the freed space; the old pages live on in the WAL until a checkpoint
    /// copies the new ones over them and truncates it (a reader in the middle of a transaction can delay that to
    /// a later checkpoint).
    package func overwrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let value = try await pool.write(body)
        _ = try? await pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        return value
    }

    public func jobCounts() async throws -> [JobCount] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT kind, status, count(*) FROM jobs GROUP BY kind, status").compactMap {
                JobCount.parse(kind: $0[0], status: $0[1], count: $0[2])
            }
        }
    }

    public func pruneHistory(before cutoff: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    DELETE FROM job_events WHERE at < ?
                      AND job_id IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'dead', 'cancelled'))
                    """,
                arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }

    public func job(_ id: Int64) async throws -> Job? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(JobRow.columnList) FROM jobs WHERE id = ?", arguments: [id])
                .map { try JobRow($0).makeJob() }
        }
    }

    public func jobs(matching filter: JobFilter, limit: Int) async throws -> [Job] {
        let status = filter.status?.rawValue
        let kind = filter.kind
        let since = filter.updatedSince?.timeIntervalSince1970
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(JobRow.columnList) FROM jobs
                    WHERE (? IS NULL OR status = ?) AND (? IS NULL OR kind = ?) AND (? IS NULL OR idempotency_key = ?)
                      AND (? IS NULL OR updated_at >= ?)
                    ORDER BY id DESC LIMIT ?
                    """,
                arguments: [status, status, kind, kind, filter.key, filter.key, since, since, limit]
            ).map { try JobRow($0).makeJob() }
        }
    }

    public func history(of id: Int64) async throws -> [JobEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT job_id, at, event, worker, attempt, detail FROM job_events WHERE job_id = ? ORDER BY id",
                arguments: [id]
            ).map {
                JobEvent(
                    jobID: $0["job_id"], at: Date(timeIntervalSince1970: $0["at"]), event: $0["event"],
                    worker: $0["worker"], attempt: $0["attempt"], detail: $0["detail"])
            }
        }
    }

    /// SQLite has no notifications between processes: idle workers look again after `timeout`.
    public func waitForWork(timeout: TimeInterval) async {
        try? await Task.sleep(for: .seconds(timeout))
    }

    /// Reads the application's own tables in the queue's database.
    package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    /// Writes the application's own tables in the queue's database, in one transaction.
    package func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }

    public func close() async throws {
        try pool.close()
    }

    /// Writes the columns a transition changes and returns the job as stored.
    private static func save(_ job: Job, _ db: Database) throws -> Job {
        let values: [(column: String, value: DatabaseValue)] = [
            ("status", job.status.rawValue.databaseValue), ("attempts", job.attempts.databaseValue),
            ("max_attempts", job.maxAttempts.databaseValue), ("run_at", job.runAt.timeIntervalSince1970.databaseValue),
            ("lease_worker", job.lease?.worker.databaseValue ?? .null),
            ("lease_expires_at", job.lease?.expiresAt.timeIntervalSince1970.databaseValue ?? .null),
            ("progress", try JobRow.jsonIfPresent(job.progress).databaseValue),
            ("result", try JobRow.jsonIfPresent(job.result).databaseValue),
            ("failure", try JobRow.jsonIfPresent(job.failure).databaseValue),
            ("updated_at", job.updatedAt.timeIntervalSince1970.databaseValue),
        ]
        try db.execute(
            sql: "UPDATE jobs SET \(values.map { "\($0.column) = ?" }.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(values.map(\.value) + [job.id.databaseValue]))
        return job.asStored
    }

    private static func append(_ event: JobEvent, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO job_events (job_id, at, event, worker, attempt, detail) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                event.jobID, event.at.timeIntervalSince1970, event.event, event.worker, event.attempt, event.detail,
            ])
    }
}

extension JobRow {
    /// The values in `columns` order.
    fileprivate var databaseValues: [DatabaseValue] {
        [
            id.databaseValue, kind.databaseValue, recipe.databaseValue, priority.databaseValue,
            idempotencyKey.databaseValue, status.databaseValue, attempts.databaseValue, maxAttempts.databaseValue,
            runAt.databaseValue, leaseWorker.databaseValue, leaseExpiresAt.databaseValue, progress.databaseValue,
            result.databaseValue, failure.databaseValue, createdAt.databaseValue, updatedAt.databaseValue,
        ]
    }

    fileprivate init(_ row: Row) {
        self.init(
            id: row["id"], kind: row["kind"], recipe: row["recipe"], priority: row["priority"],
            idempotencyKey: row["idempotency_key"], status: row["status"], attempts: row["attempts"],
            maxAttempts: row["max_attempts"], runAt: row["run_at"], leaseWorker: row["lease_worker"],
            leaseExpiresAt: row["lease_expires_at"], progress: row["progress"], result: row["result"],
            failure: row["failure"], createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}
