import GRDB
import Jobs

/// The SQLite queue's schema as named, append-only migrations: never edit one that shipped, add the next.
enum SQLiteJobSchema {
    /// The queue's migrations, then `extra`.
    static func migrator(adding extra: [SQLiteMigration]) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and their history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        recipe TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        idempotency_key TEXT UNIQUE,
                        status TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        max_attempts INTEGER NOT NULL,
                        run_at REAL NOT NULL,
                        lease_worker TEXT,
                        lease_expires_at REAL,
                        progress TEXT,
                        result TEXT,
                        failure TEXT,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL
                    );
                    CREATE INDEX jobs_due ON jobs (priority DESC, run_at, id) WHERE status IN ('queued', 'retrying');
                    CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running';
                    CREATE INDEX jobs_status ON jobs (status, id);
                    CREATE TABLE job_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        job_id INTEGER NOT NULL REFERENCES jobs(id),
                        at REAL NOT NULL,
                        event TEXT NOT NULL,
                        worker TEXT,
                        attempt INTEGER NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX job_events_job ON job_events (job_id, id);
                    """)
        }
        for migration in extra { migrator.registerMigration(migration.name, migrate: migration.migrate) }
        return migrator
    }
}

/// A named schema change of the application's own tables in the queue's database: registered after the queue's
/// own, applied once, never edited once shipped.
public struct SQLiteMigration: Sendable {
    public let name: String
    public let migrate: @Sendable (Database) throws -> Void

    public init(_ name: String, _ migrate: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.migrate = migrate
    }
}
