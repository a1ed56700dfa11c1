import CallPrompts
import Foundation
import Jobs
import PostgresNIO

extension PostgresRecordingCatalog {
    public func enqueue(_ request: JobRequest, prompt: Prompt) async throws -> Enqueued {
        let logger = logger
        return try await store.enqueue(request) { job, connection in
            var prompt = prompt
            prompt.jobID = job.id
            try await connection.query(Self.query(PromptSchema.insert(prompt)), logger: logger)
        }
    }

    public func prompt(_ id: String) async throws -> Prompt? {
        try await prompts(PromptSchema.prompt(id)).first
    }

    public func prompts(owner: String?, kind: PromptKind?, limit: Int) async throws -> [Prompt] {
        try await prompts(PromptSchema.prompts(owner: owner, kind: kind, limit: limit))
    }

    public func activate(_ id: String) async throws -> Bool {
        let rows = try await store.database.query(Self.query(PromptSchema.activate(id)), logger: logger)
        return try await !rows.collect().isEmpty
    }

    public func activePrompt(owner: String, kind: PromptKind) async throws -> Prompt? {
        try await prompts(PromptSchema.active(owner: owner, kind: kind)).first
    }

    public func removePrompt(_ id: String) async throws {
        let logger = logger
        try await store.database.withTransaction(logger: logger) { connection in
            for statement in PromptSchema.remove(id) {
                try await connection.query(Self.query(statement), logger: logger)
            }
        }
    }

    private func prompts(_ query: CatalogQuery) async throws -> [Prompt] {
        var prompts: [Prompt] = []
        let rows = try await store.database.query(Self.query(query), logger: logger)
        for try await (id, kind, owner, name, uploadName, jobID, created, active) in rows.decode(
            (String, String, String, String, String, Int64?, Double, String?).self)
        {
            prompts.append(
                try Prompt(row: [
                    .text(id), .text(kind), .text(owner), .text(name), .text(uploadName), .integer(jobID),
                    .real(created), .text(active),
                ]))
        }
        return prompts
    }
}
