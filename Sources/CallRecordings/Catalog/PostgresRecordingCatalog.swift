import Foundation
import Jobs
import JobsPostgres
import Logging
import PostgresNIO

/// The catalog in the PostgreSQL queue's database.
public struct PostgresRecordingCatalog: RecordingCatalog, PlannedSearch {
    let store: PostgresJobQueue
    let logger: Logger

    public var queue: any JobQueue { store }

    /// The catalog's migrations, applied after the queue's own.
    public static let migrations = [
        PostgresMigration(
            CatalogSchema.migrationName,
            [
                PostgresQuery(unsafeSQL: CatalogSchema.table(real: "DOUBLE PRECISION", integer: "BIGINT")),
                // The segments' folded words as a search vector of the `simple` configuration (no stemming),
                // computed by the database and indexed with GIN.
                PostgresQuery(
                    unsafeSQL: CatalogSchema.segmentsTable(
                        id: "BIGSERIAL PRIMARY KEY", real: "DOUBLE PRECISION",
                        extra: ",\n    words tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED")),
                "CREATE INDEX transcript_segments_words ON transcript_segments USING GIN (words)",
            ]
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
                ]),
        PostgresMigration(
            SharedState.migrationName,
            SharedState.tables(real: "DOUBLE PRECISION").map { PostgresQuery(unsafeSQL: $0) }),
        PostgresMigration(
            PromptSchema.migrationName,
            PromptSchema.tables(real: "DOUBLE PRECISION", integer: "BIGINT").map { PostgresQuery(unsafeSQL: $0) }),
        PostgresMigration(
            PromptSchema.uniqueKeyMigrationName,
            PromptSchema.uniqueByOwnerAndKind.map { PostgresQuery(unsafeSQL: $0) }),
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

    public func importRecordings(_ recordings: [Recording]) async throws -> Int {
        let logger = logger
        return try await store.database.withTransaction(logger: logger) { connection in
            var new = 0
            for recording in recordings {
                let rows = try await connection.query(
                    Self.query(CatalogQuery.insert(recording, ifMissing: true).returningID), logger: logger)
                new += try await rows.collect().count
            }
            return new
        }
    }

    public func queryPlan(of filter: RecordingFilter, searching query: TranscriptQuery?) async throws -> String {
        var plan = SearchPlan.matchesFirst
        if let query { plan = try await self.plan(for: query, limit: 51) }
        var statement = CatalogQuery.planned(filter, searching: query, dialect: .postgres, plan: plan)
        statement.sql = "EXPLAIN " + statement.sql
        var lines: [String] = query == nil ? [] : ["(\(plan.rawValue))"]
        for try await line in try await store.database.query(Self.query(statement), logger: logger).decode(String.self)
        {
            lines.append(line)
        }
        return lines.joined(separator: "\n")
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
            try await connection.query(Self.query(.unindex(id)), logger: logger)
        }
    }

    public func recordingsAwaitingIndex(limit: Int) async throws -> [String] {
        let rows = try await store.database.query(Self.query(.awaitingIndex(limit: limit)), logger: logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids
    }

    public func index(_ segments: [IndexedSegment], of id: String) async throws {
        let logger = logger
        try await store.database.withTransaction(logger: logger) { connection in
            for statement in CatalogQuery.index(segments, of: id) {
                try await connection.query(Self.query(statement), logger: logger)
            }
        }
    }

    public func search(
        _ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?
    ) async throws -> SearchPage {
        try await search(query, matching: filter, limit: limit, after: cursor, plan: nil)
    }

    /// A search by `plan`, or (nil) by the plan the number of matches makes cheapest.
    package func search(
        _ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?,
        plan: SearchPlan?
    ) async throws -> SearchPage {
        let chosen: SearchPlan
        if let plan { chosen = plan } else { chosen = try await self.plan(for: query, limit: limit + 1) }
        let statement = CatalogQuery.search(
            query, filter, after: cursor, limit: limit + 1, dialect: .postgres, plan: chosen)
        let rows = try await store.database.query(Self.query(statement), logger: logger)
        var hits: [TranscriptHit] = []
        for try await (id, recording, start, end, speaker, text, sortTime) in rows.decode(
            (Int64, String, Double, Double, String?, String, Double).self)
        {
            hits.append(
                TranscriptHit(row: [
                    .integer(id), .text(recording), .real(start), .real(end), .text(speaker), .text(text),
                    .real(sortTime),
                ]))
        }
        return SearchPage(hits, limit: limit)
    }

    /// The plan for a page of `limit` hits of `query`, from the planner's estimates of how many segments match
    /// and how many there are (the table's statistics, which autovacuum keeps).
    public func sharedSecret(_ name: String, proposing proposed: Data) async throws -> Data {
        try await store.database.query(
            Self.query(SharedState.propose(secret: name, hex: SharedState.hex(proposed))), logger: logger)
        for try await stored in try await store.database.query(Self.query(SharedState.secret(name)), logger: logger)
            .decode(String.self)
        {
            if let data = SharedState.data(hex: stored) { return data }
        }
        throw CatalogError("the stored secret \(name) cannot be read")
    }

    public func admitMessage(_ id: String, now: Date, until expiry: Date) async throws -> Bool {
        let logger = logger
        return try await store.database.withTransaction(logger: logger) { connection in
            try await connection.query(Self.query(SharedState.forgetMessages(at: now)), logger: logger)
            let rows = try await connection.query(
                Self.query(SharedState.admit(message: id, until: expiry)), logger: logger)
            return try await !rows.collect().isEmpty
        }
    }

    private func plan(for query: TranscriptQuery, limit: Int) async throws -> SearchPlan {
        let matches = try await estimatedRows(.segments(matching: query))
        let segments = try await estimatedRows(.segments(matching: nil))
        return SearchPlan(
            matches: matches, share: matches / max(1, segments), limit: limit, costs: .postgres)
    }

    /// The rows the planner expects `query` to return: the `rows=` of its plan's first line.
    private func estimatedRows(_ query: CatalogQuery) async throws -> Double {
        var explain = query
        explain.sql = "EXPLAIN " + query.sql
        var first: String?
        for try await line in try await store.database.query(Self.query(explain), logger: logger).decode(String.self) {
            first = first ?? line
        }
        guard let first, let range = first.range(of: "rows="),
            let rows = Double(first[range.upperBound...].prefix { $0.isNumber })
        else { return 0 }
        return rows
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

    static func query(_ query: CatalogQuery) -> PostgresQuery {
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
