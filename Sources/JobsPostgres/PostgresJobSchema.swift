import Jobs
import Logging
import PostgresNIO

/// The PostgreSQL queue's schema as named, append-only migrations, applied once each under an advisory lock
/// so that workers starting together do not race: never edit one that shipped, add the next.
enum PostgresJobSchema {
    static let migrations: [(name: String, statements: [PostgresQuery])] = [
        (
            "v1: jobs and their history",
            [
                """
                CREATE TABLE jobs (
                    id BIGSERIAL PRIMARY KEY,
                    kind TEXT NOT NULL,
                    recipe TEXT NOT NULL,
                    priority BIGINT NOT NULL,
                    idempotency_key TEXT UNIQUE,
                    status TEXT NOT NULL,
                    attempts BIGINT NOT NULL,
                    max_attempts BIGINT NOT NULL,
                    run_at DOUBLE PRECISION NOT NULL,
                    lease_worker TEXT,
                    lease_expires_at DOUBLE PRECISION,
                    progress TEXT,
                    result TEXT,
                    failure TEXT,
                    created_at DOUBLE PRECISION NOT NULL,
                    updated_at DOUBLE PRECISION NOT NULL,
                    version BIGINT NOT NULL DEFAULT 0
                )
                """,
                """
                CREATE INDEX jobs_due ON jobs (priority DESC, run_at, id) WHERE status IN ('queued', 'retrying')
                """,
                "CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running'",
                "CREATE INDEX jobs_status ON jobs (status, id)",
                """
                CREATE TABLE job_events (
                    id BIGSERIAL PRIMARY KEY,
                    job_id BIGINT NOT NULL REFERENCES jobs(id),
                    at DOUBLE PRECISION NOT NULL,
                    event TEXT NOT NULL,
                    worker TEXT,
                    attempt BIGINT NOT NULL,
                    detail TEXT
                )
                """,
                "CREATE INDEX job_events_job ON job_events (job_id, id)",
            ]
        )
    ]

    /// An arbitrary constant naming the lock that serialises migrations.
    private static let lockKey = 7_264_001

    /// Applies the queue's migrations, then `extra`, each once.
    static func migrate(_ client: PostgresClient, adding extra: [PostgresMigration], logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
                logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            let all = migrations + extra.map { (name: $0.name, statements: $0.statements) }
            for migration in all where !applied.contains(migration.name) {
                for statement in migration.statements { try await connection.query(statement, logger: logger) }
                try await connection.query(
                    "INSERT INTO schema_migrations (name, applied_at) VALUES (\(migration.name), now())",
                    logger: logger)
            }
        }
    }
}

/// A named schema change of the application's own tables in the queue's database: applied after the queue's own,
/// once, under the same lock and in the same `schema_migrations` table; never edited once shipped.
public struct PostgresMigration: Sendable {
    public let name: String
    public let statements: [PostgresQuery]

    public init(_ name: String, _ statements: [PostgresQuery]) {
        self.name = name
        self.statements = statements
    }
}
