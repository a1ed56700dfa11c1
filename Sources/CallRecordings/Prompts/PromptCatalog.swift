import CallPrompts
import Foundation
import Jobs

/// The prompts the service holds, in the queue's database beside the recordings: each prompt with its job, and
/// which one of each owner's kinds is active. Both catalog stores (SQLite, PostgreSQL) keep them, through one
/// conformance suite.
public protocol PromptCatalog: Sendable {
    /// Enqueues `request`, the prompt's rendering job, and records `prompt` with its id in the same transaction.
    func enqueue(_ request: JobRequest, prompt: Prompt) async throws -> Enqueued

    /// The prompt with `id`; nil when there is none.
    func prompt(_ id: String) async throws -> Prompt?

    /// The prompts of `owner` and of `kind` (either may be nil: any), newest first, at most `limit`.
    func prompts(owner: String?, kind: PromptKind?, limit: Int) async throws -> [Prompt]

    /// Makes prompt `id` the active one of its owner and kind, and the one active before inactive, in one
    /// statement: there is never a moment with two, or with none between them.
    /// - Returns: false when there is no prompt `id`.
    func activate(_ id: String) async throws -> Bool

    /// The active prompt of `owner` and `kind`; nil when none is.
    func activePrompt(owner: String, kind: PromptKind) async throws -> Prompt?

    /// Forgets prompt `id`; when it was active, its owner has no active prompt of its kind.
    func removePrompt(_ id: String) async throws
}

/// The prompt tables and the statements on them, in the SQL both stores speak.
enum PromptSchema {
    static let migrationName = "v4: prompts and the active one of each owner and kind"

    /// The tables, with `real` and `integer` the dialect's types for times and job ids. The active prompt of an
    /// owner and kind is one row, keyed by both, so that there can be no second.
    static func tables(real: String, integer: String) -> [String] {
        [
            """
            CREATE TABLE prompts (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                owner TEXT NOT NULL,
                name TEXT NOT NULL,
                upload_name TEXT NOT NULL,
                job_id \(integer),
                created_at \(real) NOT NULL
            )
            """,
            "CREATE INDEX prompts_owner ON prompts (owner, kind, created_at DESC)",
            "CREATE INDEX prompts_newest ON prompts (created_at DESC)",
            """
            CREATE TABLE active_prompts (
                owner TEXT NOT NULL,
                kind TEXT NOT NULL,
                prompt_id TEXT NOT NULL UNIQUE,
                PRIMARY KEY (owner, kind)
            )
            """,
        ]
    }

    static let uniqueKeyMigrationName = "v5: active prompts unique by owner and kind alone"

    /// `active_prompts` rebuilt without v4's `UNIQUE` on `prompt_id`, indexed instead. The key (owner, kind) alone
    /// keeps one active prompt per owner and kind (a prompt has one owner and one kind); the second unique index
    /// made PostgreSQL refuse activations racing each other now and then ("duplicate key value violates unique
    /// constraint", 23505), which `INSERT ... ON CONFLICT (owner, kind)` does not arbitrate.
    static let uniqueByOwnerAndKind = [
        """
        CREATE TABLE active_prompts_v5 (
            owner TEXT NOT NULL,
            kind TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            PRIMARY KEY (owner, kind)
        )
        """,
        "INSERT INTO active_prompts_v5 (owner, kind, prompt_id) SELECT owner, kind, prompt_id FROM active_prompts",
        "DROP TABLE active_prompts",
        "ALTER TABLE active_prompts_v5 RENAME TO active_prompts",
        "CREATE INDEX active_prompts_prompt ON active_prompts (prompt_id)",
    ]

    static func insert(_ prompt: Prompt) -> CatalogQuery {
        CatalogQuery(
            sql: """
                INSERT INTO prompts (id, kind, owner, name, upload_name, job_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            values: [
                .text(prompt.id), .text(prompt.kind.rawValue), .text(prompt.owner), .text(prompt.name),
                .text(prompt.uploadName), .integer(prompt.jobID), .real(prompt.createdAt.timeIntervalSince1970),
            ])
    }

    /// The columns `Prompt(row:)` reads, in its order: the prompt's own, then the active row's id (null when
    /// the prompt is not active).
    private static let select = """
        SELECT p.id, p.kind, p.owner, p.name, p.upload_name, p.job_id, p.created_at, a.prompt_id
        FROM prompts p LEFT JOIN active_prompts a ON a.prompt_id = p.id
        """

    static func prompt(_ id: String) -> CatalogQuery {
        CatalogQuery(sql: select + " WHERE p.id = ?", values: [.text(id)])
    }

    static func prompts(owner: String?, kind: PromptKind?, limit: Int) -> CatalogQuery {
        var conditions: [String] = []
        var values: [CatalogValue] = []
        if let owner {
            conditions.append("p.owner = ?")
            values.append(.text(owner))
        }
        if let kind {
            conditions.append("p.kind = ?")
            values.append(.text(kind.rawValue))
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return CatalogQuery(
            sql: select + clause + " ORDER BY p.created_at DESC, p.id DESC LIMIT ?",
            values: values + [.integer(Int64(limit))])
    }

    static func active(owner: String, kind: PromptKind) -> CatalogQuery {
        CatalogQuery(
            sql: select + " WHERE a.owner = ? AND a.kind = ?", values: [.text(owner), .text(kind.rawValue)])
    }

    /// Puts prompt `id` in its owner and kind's one active row, replacing the one there; answers the id when the
    /// prompt exists.
    static func activate(_ id: String) -> CatalogQuery {
        CatalogQuery(
            sql: """
                INSERT INTO active_prompts (owner, kind, prompt_id) SELECT owner, kind, id FROM prompts WHERE id = ?
                ON CONFLICT (owner, kind) DO UPDATE SET prompt_id = excluded.prompt_id RETURNING prompt_id
                """,
            values: [.text(id)])
    }

    static func remove(_ id: String) -> [CatalogQuery] {
        [
            CatalogQuery(sql: "DELETE FROM active_prompts WHERE prompt_id = ?", values: [.text(id)]),
            CatalogQuery(sql: "DELETE FROM prompts WHERE id = ?", values: [.text(id)]),
        ]
    }
}

extension Prompt {
    /// A prompt from the columns `PromptSchema`'s queries select.
    init(row: [CatalogValue]) throws {
        guard row.count == 8, let id = row[0].text, let kind = row[1].text.flatMap(PromptKind.init(rawValue:)),
            let owner = row[2].text, let name = row[3].text, let uploadName = row[4].text,
            let created = row[6].real
        else { throw CatalogError("a prompt row cannot be read") }
        var jobID: Int64?
        if case .integer(let value) = row[5] { jobID = value }
        self.init(
            id: id, kind: kind, owner: owner, name: name, uploadName: uploadName, jobID: jobID,
            createdAt: Date(timeIntervalSince1970: created), active: row[7] != .null)
    }
}
