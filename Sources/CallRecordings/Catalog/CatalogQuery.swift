/// SQL over the `recordings` table that both stores run: text with `?` for each value, in order (PostgreSQL
/// numbers them, `postgresText`).
struct CatalogQuery: Sendable {
    var sql: String
    var values: [CatalogValue]

    /// A page of recordings: those `filter` lets through after `cursor`, newest call first (ties by id), at most
    /// `limit`.
    static func page(_ filter: RecordingFilter, after cursor: RecordingCursor?, limit: Int) -> CatalogQuery {
        var conditions = Conditions(filter, table: "recordings")
        if let cursor {
            conditions.add(
                "(sort_at < ? OR (sort_at = ? AND id < ?))", .real(cursor.sortTime), .real(cursor.sortTime),
                .text(cursor.id))
        }
        return CatalogQuery(
            sql: """
                SELECT \(RecordingRow.columnList) FROM recordings WHERE \(conditions.text)
                ORDER BY sort_at DESC, id DESC LIMIT ?
                """,
            values: conditions.values + [.integer(Int64(limit))])
    }

    /// A page of transcript segments that hold every word and phrase of `query`, of recordings `filter` lets
    /// through, after `cursor`: newest call first, then in the order they were said. `dialect` writes the match.
    static func search(
        _ query: TranscriptQuery, _ filter: RecordingFilter, after cursor: SearchCursor?, limit: Int,
        dialect: Dialect
    ) -> CatalogQuery {
        var conditions = Conditions(filter, table: "r")
        switch dialect {
        case .sqlite:
            conditions.add(
                "s.id IN (SELECT rowid FROM transcript_segments_fts WHERE transcript_segments_fts MATCH ?)",
                .text(query.fts5Expression))
        case .postgres:
            let phrases = Array(repeating: "phraseto_tsquery('simple', ?)", count: query.phrases.count)
            conditions.add(
                "s.words @@ (\(phrases.joined(separator: " && ")))",
                query.phrases.map { .text($0.joined(separator: " ")) })
        }
        if let cursor {
            conditions.add(
                """
                (r.sort_at < ? OR (r.sort_at = ? AND r.id < ?)
                    OR (r.sort_at = ? AND r.id = ? AND (s.start_seconds > ? OR (s.start_seconds = ? AND s.id > ?))))
                """,
                .real(cursor.sortTime), .real(cursor.sortTime), .text(cursor.recordingID), .real(cursor.sortTime),
                .text(cursor.recordingID), .real(cursor.start), .real(cursor.start), .integer(cursor.segmentID))
        }
        return CatalogQuery(
            sql: """
                SELECT s.id, s.recording_id, s.start_seconds, s.end_seconds, s.speaker, s.text, r.sort_at
                FROM transcript_segments s JOIN recordings r ON r.id = s.recording_id
                WHERE \(conditions.text)
                ORDER BY r.sort_at DESC, r.id DESC, s.start_seconds, s.id LIMIT ?
                """,
            values: conditions.values + [.integer(Int64(limit))])
    }

    /// The query of a first page of 50, of the list or (given `query`) of a search, whose plan `queryPlan` shows.
    static func planned(_ filter: RecordingFilter, searching query: TranscriptQuery?, dialect: Dialect) -> CatalogQuery
    {
        query.map { search($0, filter, after: nil, limit: 51, dialect: dialect) } ?? page(filter, after: nil, limit: 51)
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

    init(_ filter: RecordingFilter, table: String) {
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
            add("(\(column("from_digits")) = ? OR \(column("to_digits")) = ?)", .text(digits), .text(digits))
        }
        if let time = filter.startedAfter { add("\(column("started_at")) >= ?", .real(time.timeIntervalSince1970)) }
        if let time = filter.startedBefore { add("\(column("started_at")) < ?", .real(time.timeIntervalSince1970)) }
        if let ready = filter.hasTranscript {
            add("\(column("transcript")) \(ready ? "=" : "<>") 'ready'")
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
