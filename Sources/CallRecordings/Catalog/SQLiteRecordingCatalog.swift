import Foundation
import GRDB
import Jobs
import JobsSQLite

/// The catalog in the SQLite queue's file.
public struct SQLiteRecordingCatalog: RecordingCatalog {
    let store: SQLiteJobQueue

    public var queue: any JobQueue { store }

    /// The catalog's migrations, registered after the queue's own.
    public static let migrations = [
        SQLiteMigration(CatalogSchema.migrationName) { db in
            try db.execute(sql: CatalogSchema.table(real: "REAL", integer: "INTEGER"))
            for index in CatalogSchema.indexes { try db.execute(sql: index) }
            try db.execute(
                sql: """
                    CREATE TRIGGER recordings_follow_job AFTER UPDATE OF status ON jobs
                    WHEN NEW.status <> OLD.status BEGIN
                    \(CatalogSchema.followJob)
                    END
                    """)
            try db.execute(
                sql: """
                    CREATE TRIGGER recordings_link_transcript AFTER INSERT ON jobs
                    WHEN NEW.kind = '\(CatalogSchema.transcribeKind)' BEGIN
                    \(CatalogSchema.linkTranscript(parentJob: "json_extract(NEW.recipe, '$.parentJob')"))
                    END
                    """)
        }
    ]

    /// Opens (creating when missing) the queue file at `path` with the catalog in it.
    public init(path: String, clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy()) throws {
        store = try SQLiteJobQueue(path: path, clock: clock, retryPolicy: retryPolicy, migrations: Self.migrations)
    }

    public func enqueue(_ request: JobRequest, recording: Recording) async throws -> Enqueued {
        try await store.enqueue(request) { job, db in
            var recording = recording
            recording.jobID = job.id
            try Self.execute(.insert(recording), db)
        }
    }

    public func importRecording(_ recording: Recording) async throws -> Bool {
        try await store.write { db in
            try Self.execute(.insert(recording, ifMissing: true), db)
            return db.changesCount > 0
        }
    }

    public func recording(_ id: String) async throws -> Recording? {
        try await store.read { db in try Self.recordings(.recording(id), db).first }
    }

    public func recordings(matching filter: RecordingFilter, limit: Int, after cursor: RecordingCursor?)
        async throws -> RecordingPage
    {
        let found = try await store.read { db in
            try Self.recordings(.page(filter, after: cursor, limit: limit + 1), db)
        }
        return RecordingPage(found, limit: limit)
    }

    public func markDeleted(_ id: String, at time: Date) async throws {
        try await store.overwrite { db in
            guard let recording = try Self.recordings(.recording(id), db).first else { return }
            try Self.execute(.replace(recording.deleted(at: time)), db)
        }
    }

    private static func execute(_ query: CatalogQuery, _ db: Database) throws {
        try db.execute(sql: query.sql, arguments: arguments(query))
    }

    private static func recordings(_ query: CatalogQuery, _ db: Database) throws -> [Recording] {
        try Row.fetchAll(db, sql: query.sql, arguments: arguments(query)).map { row in
            try RecordingRow(values: row.databaseValues.map(Self.value)).makeRecording()
        }
    }

    private static func arguments(_ query: CatalogQuery) -> StatementArguments {
        StatementArguments(
            query.values.map { value -> DatabaseValue in
                switch value {
                case .null: .null
                case .text(let text): text.databaseValue
                case .real(let number): number.databaseValue
                case .integer(let number): number.databaseValue
                }
            })
    }

    private static func value(_ value: DatabaseValue) -> CatalogValue {
        switch value.storage {
        case .null, .blob: .null
        case .int64(let number): .integer(number)
        case .double(let number): .real(number)
        case .string(let text): .text(text)
        }
    }
}
