import GRDB
import Jobs

/// The SQLite queue's schema as named, append-only migrations: never edit one that shipped, add the next.
enum SQLiteJobSchema {
    static var migrator: DatabaseMigrator {
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
        return migrator
    }
}
