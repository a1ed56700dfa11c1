import AudioTesting
import CallPrompts
import CallRecordings
import Foundation
import Testing

@testable import CallAudioJobs
@testable import Jobs
@testable import JobsSQLite

/// One suite, both stores: the prompts kept beside the recordings, and the one active prompt of each owner and
/// kind, against SQLite and PostgreSQL alike.
@Suite(.postgresServer) struct PromptCatalogConformanceTests {
    func prompt(_ id: String, owner: String = "u-1", kind: PromptKind = .greeting, at time: Double) -> Prompt {
        Prompt(
            id: id, kind: kind, owner: owner, name: "Prompt \(id)", uploadName: "\(id).wav",
            createdAt: Date(timeIntervalSince1970: time))
    }

    func add(_ prompt: Prompt, to catalog: any RecordingCatalog) async throws {
        let recipe = PromptRecipe(
            input: "/in/\(prompt.id).wav", kind: prompt.kind, outputDirectory: "/out/\(prompt.id)")
        let enqueued = try await catalog.enqueue(
            try JobRequest(payload: .prompt(recipe), idempotencyKey: "prompt:\(prompt.id)"), prompt: prompt)
        #expect(try await catalog.prompt(prompt.id)?.jobID == enqueued.job.id)
    }

    @Test(arguments: StoreKind.allCases) func promptsAreWrittenWithTheirJobsAndListedNewestFirst(store: StoreKind)
        async throws
    {
        try await store.withCatalog { catalog in
            try await add(prompt("a", at: 1), to: catalog)
            try await add(prompt("b", at: 2), to: catalog)
            try await add(prompt("c", kind: .drop, at: 3), to: catalog)
            try await add(prompt("d", owner: "u-2", at: 4), to: catalog)
            let stored = try #require(try await catalog.prompt("a"))
            #expect(stored.owner == "u-1" && stored.kind == .greeting && stored.name == "Prompt a")
            #expect(stored.uploadName == "a.wav" && stored.createdAt == Date(timeIntervalSince1970: 1))
            #expect(!stored.active)
            #expect(try await catalog.prompts(owner: "u-1", kind: .greeting, limit: 10).map(\.id) == ["b", "a"])
            #expect(try await catalog.prompts(owner: "u-1", kind: nil, limit: 10).map(\.id) == ["c", "b", "a"])
            #expect(try await catalog.prompts(owner: nil, kind: .greeting, limit: 2).map(\.id) == ["d", "b"])
            #expect(try await catalog.prompt("z") == nil)
            let job = try #require(try await catalog.queue.job(stored.jobID ?? 0))
            #expect(job.kind == "prompt")
        }
    }

    @Test(arguments: StoreKind.allCases) func oneActivePromptPerOwnerAndKind(store: StoreKind) async throws {
        try await store.withCatalog { catalog in
            for (index, id) in ["a", "b"].enumerated() { try await add(prompt(id, at: Double(index)), to: catalog) }
            try await add(prompt("c", kind: .drop, at: 3), to: catalog)
            try await add(prompt("d", owner: "u-2", at: 4), to: catalog)
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .greeting) == nil)
            #expect(try await catalog.activate("a"))
            #expect(try await catalog.activate("c"))
            #expect(try await catalog.activate("d"))
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .greeting)?.id == "a")
            #expect(try await catalog.activate("b"))
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .greeting)?.id == "b")
            #expect(try await catalog.prompt("a")?.active == false)
            #expect(try await catalog.prompt("b")?.active == true)
            // The other kind and the other owner keep theirs.
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .drop)?.id == "c")
            #expect(try await catalog.activePrompt(owner: "u-2", kind: .greeting)?.id == "d")
            #expect(try await !catalog.activate("missing"))
            // Activations racing each other: one prompt is active after every round, never two or none, and none
            // is refused (before v5, PostgreSQL refused one now and then on a second unique key: 23505).
            for _ in 0..<200 {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for id in ["a", "b", "a", "b"] { group.addTask { try await catalog.activate(id) } }
                    for try await activated in group { #expect(activated) }
                }
                let active = try await catalog.prompts(owner: "u-1", kind: .greeting, limit: 10).filter(\.active)
                #expect(active.count == 1)
            }
            // An active prompt removed leaves none of its kind active for its owner.
            let current = try #require(try await catalog.activePrompt(owner: "u-1", kind: .greeting))
            try await catalog.removePrompt(current.id)
            #expect(try await catalog.prompt(current.id) == nil)
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .greeting) == nil)
            #expect(try await catalog.prompts(owner: "u-1", kind: .greeting, limit: 10).count == 1)
        }
    }

    /// v5 rebuilt `active_prompts` without its second unique key: a queue file from before keeps its active prompt.
    @Test func aQueueFileFromBeforeV5KeepsItsActivePrompt() async throws {
        try await withScratchFolder { folder async throws in
            let path = folder.appendingPathComponent("jobs.db").path
            let before = try SQLiteJobQueue(path: path, migrations: Array(SQLiteRecordingCatalog.migrations.dropLast()))
            try await before.close()
            let insert = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.execute("INSERT INTO prompts (id, kind, owner, name, upload_name, created_at) "
                           "VALUES ('p', 'greeting', 'u-1', 'P', 'p.wav', 1)")
                db.execute("INSERT INTO active_prompts (owner, kind, prompt_id) VALUES ('u-1', 'greeting', 'p')")
                db.commit()
                """
            _ = try ExternalTool.output("/usr/bin/python3", ["-c", insert, path])
            let catalog = try SQLiteRecordingCatalog(path: path)
            #expect(try await catalog.activePrompt(owner: "u-1", kind: .greeting)?.id == "p")
            try await catalog.queue.close()
        }
    }
}
