import CallPrompts
import Foundation
import Jobs

extension SQLiteRecordingCatalog {
    public func enqueue(_ request: JobRequest, prompt: Prompt) async throws -> Enqueued {
        try await store.enqueue(request) { job, db in
            var prompt = prompt
            prompt.jobID = job.id
            try Self.execute(PromptSchema.insert(prompt), db)
        }
    }

    public func prompt(_ id: String) async throws -> Prompt? {
        try await store.read { db in try Self.rows(PromptSchema.prompt(id), db).first.map(Prompt.init(row:)) }
    }

    public func prompts(owner: String?, kind: PromptKind?, limit: Int) async throws -> [Prompt] {
        try await store.read { db in
            try Self.rows(PromptSchema.prompts(owner: owner, kind: kind, limit: limit), db).map(Prompt.init(row:))
        }
    }

    public func activate(_ id: String) async throws -> Bool {
        try await store.write { db in try !Self.rows(PromptSchema.activate(id), db).isEmpty }
    }

    public func activePrompt(owner: String, kind: PromptKind) async throws -> Prompt? {
        try await store.read { db in
            try Self.rows(PromptSchema.active(owner: owner, kind: kind), db).first.map(Prompt.init(row:))
        }
    }

    public func removePrompt(_ id: String) async throws {
        try await store.write { db in
            for statement in PromptSchema.remove(id) { try Self.execute(statement, db) }
        }
    }
}
