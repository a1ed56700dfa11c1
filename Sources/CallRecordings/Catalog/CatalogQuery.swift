/// SQL over the `recordings` table that both stores run: text with `?` for each value, in order (PostgreSQL
/// numbers them, `postgresText`).
struct CatalogQuery: Sendable {
    var sql: String
    var values: [CatalogValue]

    /// A page of recordings: those `filter` lets through after `cursor`, newest call first (ties by id), at most
    /// `limit`.
    static func page(_ filter: RecordingFilter, after cursor: RecordingCursor?, limit: Int) -> CatalogQuery {
        var conditions = ["status <> 'deleted'"]
        var values: [CatalogValue] = []
        func add(_ condition: String, _ newValues: CatalogValue...) {
            conditions.append(condition)
            values += newValues
        }
        if let value = filter.contactID { add("contact_id = ?", .text(value)) }
        if let value = filter.conversationID { add("conversation_id = ?", .text(value)) }
        if let value = filter.direction { add("direction = ?", .text(value.rawValue)) }
        if let value = filter.callStatus { add("call_status = ?", .text(value.rawValue)) }
        if let value = filter.handledBy { add("handled_by = ?", .text(value)) }
        if let value = filter.kind { add("kind = ?", .text(value.rawValue)) }
        if let value = filter.status { add("status = ?", .text(value.rawValue)) }
        if let digits = filter.numberDigits { add("(from_digits = ? OR to_digits = ?)", .text(digits), .text(digits)) }
        if let time = filter.startedAfter { add("started_at >= ?", .real(time.timeIntervalSince1970)) }
        if let time = filter.startedBefore { add("started_at < ?", .real(time.timeIntervalSince1970)) }
        if let ready = filter.hasTranscript { add(ready ? "transcript = 'ready'" : "transcript <> 'ready'") }
        if let cursor {
            add(
                "(sort_at < ? OR (sort_at = ? AND id < ?))", .real(cursor.sortTime), .real(cursor.sortTime),
                .text(cursor.id))
        }
        return CatalogQuery(
            sql: """
                SELECT \(RecordingRow.columnList) FROM recordings WHERE \(conditions.joined(separator: " AND "))
                ORDER BY sort_at DESC, id DESC LIMIT ?
                """,
            values: values + [.integer(Int64(limit))])
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
            sql: "UPDATE recordings SET \(assignments) WHERE id = ?", values: Array(row.values.dropFirst()) + [row.values[0]])
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
