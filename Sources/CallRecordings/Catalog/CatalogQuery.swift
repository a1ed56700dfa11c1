/// SQL over the `recordings` table that both stores run: text with `?` for each value, in order (PostgreSQL
/// numbers them, `postgresText`).
struct CatalogQuery: Sendable {
    var sql: String
    var values: [CatalogValue]

    /// A page of recordings: those `filter` lets through after `cursor`, newest call first (ties by id), at most
    /// `limit`.
    static func page(_ filter: RecordingFilter, after cursor: RecordingCursor?, limit: Int) -> CatalogQuery {
        guard filter.numberDigits != nil else {
            return newest(Conditions(filter, table: "recordings", after: cursor), limit: limit)
        }
        // A number is the call's from or its to. Each has its own index in the list's order, so the page is the
        // newest of the two indexes' pages (UNION drops the second copy of a call from and to the number), where
        // one query testing both would walk every recording newest first.
        let from = newest(Conditions(filter, table: "recordings", number: .from, after: cursor), limit: limit)
        let to = newest(Conditions(filter, table: "recordings", number: .to, after: cursor), limit: limit)
        return CatalogQuery(
            sql: """
                SELECT * FROM (\(from.sql)) AS calls_from UNION SELECT * FROM (\(to.sql)) AS calls_to
                ORDER BY sort_at DESC, id DESC LIMIT ?
                """,
            values: from.values + to.values + [.integer(Int64(limit))])
    }

    /// The first `limit` recordings that meet `conditions`, newest call first.
    private static func newest(_ conditions: Conditions, limit: Int) -> CatalogQuery {
        CatalogQuery(
            sql: """
                SELECT \(RecordingRow.columnList) FROM recordings WHERE \(conditions.text)
                ORDER BY sort_at DESC, id DESC LIMIT ?
                """,
            values: conditions.values + [.integer(Int64(limit))])
    }

    /// A page of transcript segments that hold every word and phrase of `query`, of recordings `filter` lets
    /// through, after `cursor`: newest call first, then in the order they were said. `dialect` writes the match,
    /// `plan` chooses how the database finds the page.
    static func search(
        _ query: TranscriptQuery, _ filter: RecordingFilter, after cursor: SearchCursor?, limit: Int,
        dialect: Dialect, plan: SearchPlan
    ) -> CatalogQuery {
        var conditions = Conditions(filter, table: "r")
        // The columns of a hit: the segment's and its recording's sort time.
        let hit = "s.id, s.recording_id, s.start_seconds, s.end_seconds, s.speaker, s.text, r.sort_at"
        let segment = "id, recording_id, start_seconds, end_seconds, speaker, text"
        var head = ""
        var headValues: [CatalogValue] = []
        let from: String
        switch dialect {
        case .sqlite:
            let match = CatalogValue.text(query.fts5Expression)
            let matches = "SELECT rowid FROM transcript_segments_fts WHERE transcript_segments_fts MATCH ?"
            // CROSS JOIN makes SQLite join in the order written.
            switch plan {
            case .matchesFirst:
                from = "transcript_segments s CROSS JOIN recordings r ON r.id = s.recording_id"
                conditions.add("s.id IN (\(matches))", match)
            case .newestFirst:
                from = "recordings r CROSS JOIN transcript_segments s ON s.recording_id = r.id"
                conditions.add("s.id IN (\(matches))", match)
            case .newestFirstLookingUp:
                from = """
                    recordings r CROSS JOIN transcript_segments s ON s.recording_id = r.id
                        CROSS JOIN transcript_segments_fts f ON f.rowid = s.id
                    """
                conditions.add("f.transcript_segments_fts MATCH ?", match)
            }
        case .postgres:
            let phrases = query.phrases.map { CatalogValue.text($0.joined(separator: " ")) }
            switch plan {
            case .matchesFirst:
                // A materialized CTE is computed on its own, from the search vectors' index.
                head = """
                    WITH matches AS MATERIALIZED (
                        SELECT \(segment) FROM transcript_segments WHERE \(postgresMatch(query, in: "words")))

                    """
                headValues = phrases
                from = "matches s JOIN recordings r ON r.id = s.recording_id"
            case .newestFirst, .newestFirstLookingUp:
                // LATERAL reads each recording's segments in turn, in the recordings' order; OFFSET 0 keeps the
                // match out of that read, which would otherwise look the words up in their index once per
                // recording when the planner expects few matches.
                from = """
                    recordings r CROSS JOIN LATERAL (
                        SELECT \(segment), words FROM transcript_segments WHERE recording_id = r.id OFFSET 0) s
                    """
                conditions.add(postgresMatch(query, in: "s.words"), phrases)
            }
        }
        if let cursor {
            // The first condition follows from the second; it is the bound a walk of the recordings starts from.
            conditions.add("r.sort_at <= ?", .real(cursor.sortTime))
            conditions.add(
                """
                (r.sort_at < ? OR (r.sort_at = ? AND r.id < ?)
                    OR (r.sort_at = ? AND r.id = ? AND (s.start_seconds > ? OR (s.start_seconds = ? AND s.id > ?))))
                """,
                .real(cursor.sortTime), .real(cursor.sortTime), .text(cursor.recordingID), .real(cursor.sortTime),
                .text(cursor.recordingID), .real(cursor.start), .real(cursor.start), .integer(cursor.segmentID))
        }
        return CatalogQuery(
            sql: head + """
                SELECT \(hit) FROM \(from)
                WHERE \(conditions.text)
                ORDER BY r.sort_at DESC, r.id DESC, s.start_seconds, s.id LIMIT ?
                """,
            values: headValues + conditions.values + [.integer(Int64(limit))])
    }

    /// The query of a first page of 50, of the list or (given `query`) of a search, whose plan `queryPlan` shows.
    static func planned(
        _ filter: RecordingFilter, searching query: TranscriptQuery?, dialect: Dialect, plan: SearchPlan
    ) -> CatalogQuery {
        query.map { search($0, filter, after: nil, limit: 51, dialect: dialect, plan: plan) }
            ?? page(filter, after: nil, limit: 51)
    }

    /// The newest `size` segments (by row id) that hold every word and phrase of `query`, in SQLite: how many
    /// there are, the oldest one's row id and the newest segment's, from which `SearchPlan` is chosen. Reading
    /// them costs about as little as the sample is small.
    static func matchSample(_ query: TranscriptQuery, size: Int) -> CatalogQuery {
        CatalogQuery(
            sql: """
                SELECT count(*), min(rowid), (SELECT max(id) FROM transcript_segments) FROM (
                    SELECT rowid FROM transcript_segments_fts WHERE transcript_segments_fts MATCH ?
                    ORDER BY rowid DESC LIMIT ?)
                """,
            values: [.text(query.fts5Expression), .integer(Int64(size))])
    }

    /// The segments that hold every word and phrase of `query` (with `query`), or all segments (without), in
    /// PostgreSQL: the query whose plan (`EXPLAIN`) estimates how many there are, from the table's statistics.
    static func segments(matching query: TranscriptQuery?) -> CatalogQuery {
        CatalogQuery(
            sql: "SELECT 1 FROM transcript_segments"
                + (query.map { " WHERE " + postgresMatch($0, in: "words") } ?? ""),
            values: query?.phrases.map { .text($0.joined(separator: " ")) } ?? [])
    }

    /// The condition that a segment's search vector (`column`) holds every word and phrase of `query`, with a
    /// `?` for each phrase.
    private static func postgresMatch(_ query: TranscriptQuery, in column: String) -> String {
        let phrases = Array(repeating: "phraseto_tsquery('simple', ?)", count: query.phrases.count)
        return "\(column) @@ (\(phrases.joined(separator: " && ")))"
    }

    /// The ids of recordings whose transcript is ready but not yet in the search index, at most `limit`.
    static func awaitingIndex(limit: Int) -> CatalogQuery {
        CatalogQuery(
            sql: """
                SELECT id FROM recordings WHERE transcript = 'ready' AND transcript_indexed = 0 AND status <> 'deleted'
                LIMIT ?
                """,
            values: [.integer(Int64(limit))])
    }

    /// The statements that put `segments` in the index as recording `id`'s, in place of any it had.
    static func index(_ segments: [IndexedSegment], of id: String) -> [CatalogQuery] {
        [CatalogQuery(sql: "DELETE FROM transcript_segments WHERE recording_id = ?", values: [.text(id)])]
            + segments.map { segment in
                CatalogQuery(
                    sql: """
                        INSERT INTO transcript_segments
                            (recording_id, start_seconds, end_seconds, speaker, text, search_text)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    values: [
                        .text(id), .real(segment.start), .real(segment.end), .text(segment.speaker),
                        .text(segment.text), .text(TranscriptQuery.fold(segment.text)),
                    ])
            }
            + [CatalogQuery(sql: "UPDATE recordings SET transcript_indexed = 1 WHERE id = ?", values: [.text(id)])]
    }

    /// Removes recording `id`'s segments from the index.
    static func unindex(_ id: String) -> CatalogQuery {
        CatalogQuery(sql: "DELETE FROM transcript_segments WHERE recording_id = ?", values: [.text(id)])
    }

    /// The SQL dialects the stores speak, where they differ.
    enum Dialect {
        case sqlite, postgres
    }

    /// Records `recording`, over the row of a deleted recording with its id (a call id submitted again after its
    /// recording was deleted); with `ifMissing`, nothing happens when the catalog has its id already.
    static func insert(_ recording: Recording, ifMissing: Bool = false) -> CatalogQuery {
        let row = RecordingRow(recording)
        let placeholders = Array(repeating: "?", count: row.values.count).joined(separator: ", ")
        let replacing = RecordingRow.columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        return CatalogQuery(
            sql: "INSERT INTO recordings (\(RecordingRow.columnList)) VALUES (\(placeholders)) ON CONFLICT (id) "
                + (ifMissing ? "DO NOTHING" : "DO UPDATE SET \(replacing) WHERE recordings.status = 'deleted'"),
            values: row.values)
    }

    /// Writes every column of `recording` over its row.
    static func replace(_ recording: Recording) -> CatalogQuery {
        let row = RecordingRow(recording)
        let assignments = RecordingRow.columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
        return CatalogQuery(
            sql: "UPDATE recordings SET \(assignments) WHERE id = ?",
            values: Array(row.values.dropFirst()) + [row.values[0]])
    }

    /// The recording with `id`.
    static func recording(_ id: String) -> CatalogQuery {
        CatalogQuery(sql: "SELECT \(RecordingRow.columnList) FROM recordings WHERE id = ?", values: [.text(id)])
    }

    /// The statement, answering the id of each row it wrote (PostgreSQL's way to tell whether it wrote one).
    var returningID: CatalogQuery { CatalogQuery(sql: sql + " RETURNING id", values: values) }

    /// The query, locking the rows it reads against other writers until the transaction ends (PostgreSQL).
    var locked: CatalogQuery { CatalogQuery(sql: sql + " FOR UPDATE", values: values) }

    /// The text with PostgreSQL's numbered placeholders (`$1`, `$2`, ...).
    var postgresText: String {
        var number = 0
        return sql.reduce(into: "") { text, character in
            guard character == "?" else { return text.append(character) }
            number += 1
            text += "$\(number)"
        }
    }
}

/// The conditions of a filter over the recordings table (named `table` in the query), joined by `AND`, with their
/// values in order. Deleted recordings are always left out.
struct Conditions {
    private var conditions: [String]
    private(set) var values: [CatalogValue] = []

    /// Which of a call's numbers the filter's number is compared with.
    enum NumberSide {
        case either, from, to
    }

    /// With `cursor`, only the recordings after it.
    init(
        _ filter: RecordingFilter, table: String, number side: NumberSide = .either,
        after cursor: RecordingCursor? = nil
    ) {
        conditions = ["\(table).status <> 'deleted'"]
        func column(_ name: String) -> String { "\(table).\(name)" }
        if let value = filter.contactID { add("\(column("contact_id")) = ?", .text(value)) }
        if let value = filter.conversationID { add("\(column("conversation_id")) = ?", .text(value)) }
        if let value = filter.direction { add("\(column("direction")) = ?", .text(value.rawValue)) }
        if let value = filter.callStatus { add("\(column("call_status")) = ?", .text(value.rawValue)) }
        if let value = filter.handledBy { add("\(column("handled_by")) = ?", .text(value)) }
        if let value = filter.kind { add("\(column("kind")) = ?", .text(value.rawValue)) }
        if let value = filter.status { add("\(column("status")) = ?", .text(value.rawValue)) }
        if let digits = filter.numberDigits {
            switch side {
            case .either:
                add("(\(column("from_digits")) = ? OR \(column("to_digits")) = ?)", .text(digits), .text(digits))
            case .from: add("\(column("from_digits")) = ?", .text(digits))
            case .to: add("\(column("to_digits")) = ?", .text(digits))
            }
        }
        // A recording with a start sorts by it: `RecordingRow` writes `sort_at` as `started_at` whenever there is
        // one, the same number. So a bound on the start is that bound on `sort_at` among recordings with a start,
        // and those without one are left out by either bound. Said of `sort_at`, the newest-first index walks only
        // the span, and PostgreSQL estimates the span alone rather than two bounds it takes for independent.
        if filter.startedAfter != nil || filter.startedBefore != nil { add("\(column("started_at")) IS NOT NULL") }
        if let time = filter.startedAfter { add("\(column("sort_at")) >= ?", .real(time.timeIntervalSince1970)) }
        if let time = filter.startedBefore { add("\(column("sort_at")) < ?", .real(time.timeIntervalSince1970)) }
        if let ready = filter.hasTranscript {
            add("\(column("transcript")) \(ready ? "=" : "<>") 'ready'")
        }
        if let cursor {
            // The first condition follows from the second; it is the bound an index walk starts from.
            let sortAt = column("sort_at")
            add(
                "\(sortAt) <= ? AND (\(sortAt) < ? OR (\(sortAt) = ? AND \(column("id")) < ?))",
                .real(cursor.sortTime), .real(cursor.sortTime), .real(cursor.sortTime), .text(cursor.id))
        }
        if let scope = filter.scope { add(scope: scope, table: table) }
    }

    /// `contact_id IN (...) OR conversation_id IN (...)`, each part only when the scope names such ids, and
    /// nothing at all passes an empty scope.
    private mutating func add(scope: RecordingScope, table: String) {
        var parts: [String] = []
        var values: [CatalogValue] = []
        for (name, ids) in [("contact_id", scope.contactIDs), ("conversation_id", scope.conversationIDs)]
        where !ids.isEmpty {
            parts.append("\(table).\(name) IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))")
            values += ids.map { .text($0) }
        }
        add(parts.isEmpty ? "1 = 0" : "(\(parts.joined(separator: " OR ")))", values)
    }

    mutating func add(_ condition: String, _ newValues: CatalogValue...) {
        add(condition, newValues)
    }

    mutating func add(_ condition: String, _ newValues: [CatalogValue]) {
        conditions.append(condition)
        values += newValues
    }

    var text: String { conditions.joined(separator: " AND ") }
}

/// How a search finds its page. Every plan finds the same hits in the same order; they differ in the work, which
/// depends on how many segments hold the words.
package enum SearchPlan: String, Sendable, CaseIterable {
    /// Every segment that matches, then its recording, and a sort of them all: for words in few segments.
    case matchesFirst
    /// The recordings newest first, as the list walks them, and each one's segments in order, until the page is
    /// full: for words in many segments, where the walk is short. SQLite gathers the matches' row ids once and
    /// checks each segment against them; PostgreSQL checks each segment's own search vector.
    case newestFirst
    /// As `newestFirst`, but SQLite looks each segment up in the word index instead of gathering every match
    /// first: for words in a large share of the segments, whose matches cost more to gather than the few lookups
    /// a page needs. PostgreSQL runs `newestFirst`.
    case newestFirstLookingUp

    /// What each plan's steps cost a store, relative to each other.
    package struct Costs: Sendable {
        /// Gathering one match's row id up front (`newestFirst` in SQLite).
        var gathering: Double
        /// Reading a match's segment and recording and sorting it in (`matchesFirst`).
        var sorting: Double
        /// Walking past a segment, checking it (`newestFirst`).
        var walking: Double
        /// Looking a segment up in the word index (`newestFirstLookingUp`).
        var lookingUp: Double

        /// As measured at 1,000,000 segments on SQLite, in units of gathering one row id.
        package static let sqlite = Costs(gathering: 1, sorting: 50, walking: 2, lookingUp: 350)
        /// As measured at 1,000,000 segments on PostgreSQL (about 17 µs a match, 2 µs a segment), in units of
        /// walking past a segment (checking its search vector), where `newestFirst` gathers nothing and there is
        /// no looking up.
        package static let postgres = Costs(gathering: 0, sorting: 8, walking: 1, lookingUp: .infinity)
    }

    /// The cheapest plan for a page of `limit` hits when about `matches` segments match, `share` of them all
    /// (more than 0), at `costs`. A walk passes about `limit / share` segments.
    package init(matches: Double, share: Double, limit: Int, costs: Costs) {
        let walk = Double(limit) / max(share, 1e-9)
        let costs: [(SearchPlan, Double)] = [
            (.matchesFirst, costs.sorting * matches), (.newestFirst, costs.gathering * matches + costs.walking * walk),
            (.newestFirstLookingUp, costs.lookingUp * walk),
        ]
        self = costs.min { $0.1 < $1.1 }?.0 ?? .matchesFirst
    }
}
