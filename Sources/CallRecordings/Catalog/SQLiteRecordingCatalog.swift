import Foundation
import GRDB
import Jobs
import JobsSQLite

/// The catalog in the SQLite queue's file.
public struct SQLiteRecordingCatalog: RecordingCatalog, PlannedSearch {
    let store: SQLiteJobQueue

    public var queue: any JobQueue { store }

    /// The catalog's migrations, registered after the queue's own.
    public static let migrations = [
        SQLiteMigration(CatalogSchema.migrationName) { db in
            try db.execute(sql: CatalogSchema.table(real: "REAL", integer: "INTEGER"))
            try db.execute(sql: CatalogSchema.segmentsTable(id: "INTEGER PRIMARY KEY AUTOINCREMENT", real: "REAL"))
            for index in CatalogSchema.indexes { try db.execute(sql: index) }
            // The segments' words in an FTS5 index that reads their folded text from the table (external
            // content), kept in step by triggers.
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE transcript_segments_fts USING fts5(
                        search_text, content='transcript_segments', content_rowid='id', tokenize='unicode61');
                    CREATE TRIGGER transcript_segments_indexed AFTER INSERT ON transcript_segments BEGIN
                        INSERT INTO transcript_segments_fts (rowid, search_text) VALUES (NEW.id, NEW.search_text);
                    END;
                    CREATE TRIGGER transcript_segments_unindexed AFTER DELETE ON transcript_segments BEGIN
                        INSERT INTO transcript_segments_fts (transcript_segments_fts, rowid, search_text)
                        VALUES ('delete', OLD.id, OLD.search_text);
                    END;
                    """)
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
        },
        SQLiteMigration(SharedState.migrationName) { db in
            for table in SharedState.tables(real: "REAL") { try db.execute(sql: table) }
        },
        SQLiteMigration(PromptSchema.migrationName) { db in
            for table in PromptSchema.tables(real: "REAL", integer: "INTEGER") { try db.execute(sql: table) }
        },
        SQLiteMigration(PromptSchema.uniqueKeyMigrationName) { db in
            for statement in PromptSchema.uniqueByOwnerAndKind { try db.execute(sql: statement) }
        },
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

    public func importRecordings(_ recordings: [Recording]) async throws -> Int {
        try await store.write { db in
            var new = 0
            for recording in recordings {
                try Self.execute(.insert(recording, ifMissing: true), db)
                new += db.changesCount
            }
            return new
        }
    }

    public func queryPlan(of filter: RecordingFilter, searching query: TranscriptQuery?) async throws -> String {
        try await store.read { db in
            let plan = try query.map { try Self.plan(for: $0, limit: 51, db) } ?? .matchesFirst
            let statement = CatalogQuery.planned(filter, searching: query, dialect: .sqlite, plan: plan)
            let steps = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: Self.arguments(statement)
            ).map { $0["detail"] as String? ?? "" }
            return ((query == nil ? [] : ["(\(plan.rawValue))"]) + steps).joined(separator: "\n")
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
            try Self.execute(.unindex(id), db)
        }
    }

    public func recordingsAwaitingIndex(limit: Int) async throws -> [String] {
        try await store.read { db in try Self.rows(.awaitingIndex(limit: limit), db).compactMap { $0.first?.text } }
    }

    public func index(_ segments: [IndexedSegment], of id: String) async throws {
        try await store.write { db in
            for statement in CatalogQuery.index(segments, of: id) { try Self.execute(statement, db) }
        }
    }

    public func search(
        _ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?
    ) async throws -> SearchPage {
        try await search(query, matching: filter, limit: limit, after: cursor, plan: nil)
    }

    /// A search by `plan`, or (nil) by the plan a sample of the index's matches makes cheapest.
    package func search(
        _ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?,
        plan: SearchPlan?
    ) async throws -> SearchPage {
        let found = try await store.read { db in
            let plan = try plan ?? Self.plan(for: query, limit: limit + 1, db)
            return try Self.rows(
                .search(query, filter, after: cursor, limit: limit + 1, dialect: .sqlite, plan: plan), db
            ).map(TranscriptHit.init(row:))
        }
        return SearchPage(found, limit: limit)
    }

    /// The plan for a page of `limit` hits of `query`, from the newest matches in the index: fewer than the
    /// sample are all there are; a full sample tells what share of the newest segments match.
    public func sharedSecret(_ name: String, proposing proposed: Data) async throws -> Data {
        let stored = try await store.overwrite { db in
            try Self.execute(SharedState.propose(secret: name, hex: SharedState.hex(proposed)), db)
            return try Self.rows(SharedState.secret(name), db).first?.first?.text
        }
        guard let stored, let data = SharedState.data(hex: stored) else {
            throw CatalogError("the stored secret \(name) cannot be read")
        }
        return data
    }

    public func admitMessage(_ id: String, now: Date, until expiry: Date) async throws -> Bool {
        try await store.overwrite { db in
            try Self.execute(SharedState.forgetMessages(at: now), db)
            return try !Self.rows(SharedState.admit(message: id, until: expiry), db).isEmpty
        }
    }

    private static func plan(for query: TranscriptQuery, limit: Int, _ db: Database) throws -> SearchPlan {
        let size = 2_000
        let sample = try rows(.matchSample(query, size: size), db).first ?? []
        guard sample.count == 3, let sampled = sample[0].integer, sampled > 0, let oldest = sample[1].integer,
            let newest = sample[2].integer, newest > 0
        else { return .matchesFirst }
        let share =
            sampled < size ? Double(sampled) / Double(newest) : Double(sampled) / Double(max(1, newest - oldest + 1))
        return SearchPlan(matches: share * Double(newest), share: share, limit: limit, costs: .sqlite)
    }

    static func rows(_ query: CatalogQuery, _ db: Database) throws -> [[CatalogValue]] {
        try Row.fetchAll(db, sql: query.sql, arguments: arguments(query)).map { $0.databaseValues.map(Self.value) }
    }

    static func execute(_ query: CatalogQuery, _ db: Database) throws {
        try db.execute(sql: query.sql, arguments: arguments(query))
    }

    private static func recordings(_ query: CatalogQuery, _ db: Database) throws -> [Recording] {
        try rows(query, db).map { try RecordingRow(values: $0).makeRecording() }
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
