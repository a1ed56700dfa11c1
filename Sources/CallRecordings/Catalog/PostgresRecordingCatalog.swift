import Foundation
import Jobs
import JobsPostgres
import Logging
import PostgresNIO

/// The catalog in the PostgreSQL queue's database.
public struct PostgresRecordingCatalog: RecordingCatalog {
    let store: PostgresJobQueue
    let logger: Logger

    public var queue: any JobQueue { store }

    /// The catalog's migrations, applied after the queue's own.
    public static let migrations = [
        PostgresMigration(
            CatalogSchema.migrationName,
            [PostgresQuery(unsafeSQL: CatalogSchema.table(real: "DOUBLE PRECISION", integer: "BIGINT"))]
                + CatalogSchema.indexes.map { PostgresQuery(unsafeSQL: $0) } + [
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE FUNCTION recordings_follow_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
                            BEGIN
                                IF TG_OP = 'INSERT' THEN
                                    IF NEW.kind = '\(CatalogSchema.transcribeKind)' THEN
                                        \(CatalogSchema.linkTranscript(parentJob: "(NEW.recipe::jsonb ->> 'parentJob')::numeric::bigint"))
                                    END IF;
                                ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
                                    \(CatalogSchema.followJob)
                                END IF;
                                RETURN NULL;
                            END $$
                            """),
                    PostgresQuery(
                        unsafeSQL: """
                            CREATE TRIGGER recordings_follow_jobs AFTER INSERT OR UPDATE OF status ON jobs
                            FOR EACH ROW EXECUTE FUNCTION recordings_follow_jobs()
                            """),
                ])
    ]

    /// Connects to the queue's database with the catalog in it (`PostgresJobQueue.init`).
    public init(
        configuration: PostgresClient.Configuration, clock: any JobClock = SystemJobClock(),
        retryPolicy: RetryPolicy = RetryPolicy(), logger: Logger
    ) async throws {
        store = try await PostgresJobQueue(
            configuration: configuration, clock: clock, retryPolicy: retryPolicy, migrations: Self.migrations,
            logger: logger)
        self.logger = logger
    }

    public func enqueue(_ request: JobRequest, recording: Recording) async throws -> Enqueued {
        let logger = logger
        return try await store.enqueue(request) { job, connection in
            var recording = recording
            recording.jobID = job.id
            try await connection.query(Self.query(.insert(recording)), logger: logger)
        }
    }

    public func importRecording(_ recording: Recording) async throws -> Bool {
        let rows = try await store.database.query(
            Self.query(CatalogQuery.insert(recording, ifMissing: true).returningID), logger: logger)
        return try await rows.collect().count > 0
    }

    public func recording(_ id: String) async throws -> Recording? {
        try await recordings(.recording(id)).first
    }

    public func recordings(matching filter: RecordingFilter, limit: Int, after cursor: RecordingCursor?)
        async throws -> RecordingPage
    {
        RecordingPage(try await recordings(.page(filter, after: cursor, limit: limit + 1)), limit: limit)
    }

    public func markDeleted(_ id: String, at time: Date) async throws {
        let logger = logger
        try await store.database.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(Self.query(CatalogQuery.recording(id).locked), logger: logger)
            guard let recording = try await Self.recordings(rows).first else { return }
            try await connection.query(Self.query(.replace(recording.deleted(at: time))), logger: logger)
        }
    }

    private func recordings(_ query: CatalogQuery) async throws -> [Recording] {
        try await Self.recordings(try await store.database.query(Self.query(query), logger: logger))
    }

    private static func recordings(_ rows: PostgresRowSequence) async throws -> [Recording] {
        var recordings: [Recording] = []
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let values = try RecordingRow.columns.map { column -> CatalogValue in
                let cell = cells[column]
                if RecordingRow.realColumns.contains(column) { return .real(try cell.decode(Double?.self)) }
                if RecordingRow.integerColumns.contains(column) { return .integer(try cell.decode(Int64?.self)) }
                return .text(try cell.decode(String?.self))
            }
            recordings.append(try RecordingRow(values: values).makeRecording())
        }
        return recordings
    }

    private static func query(_ query: CatalogQuery) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: query.values.count)
        for value in query.values {
            switch value {
            case .null: bindings.appendNull()
            case .text(let text): bindings.append(text)
            case .real(let number): bindings.append(number)
            case .integer(let number): bindings.append(number)
            }
        }
        return PostgresQuery(unsafeSQL: query.postgresText, binds: bindings)
    }
}
