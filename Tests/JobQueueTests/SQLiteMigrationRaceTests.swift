import AudioTesting
import Foundation
import Testing

@testable import Jobs
@testable import JobsSQLite

/// Worker processes started together on one SQLite queue all bring its schema up to date at once: none may fail
/// because another applied a migration first.
@Suite struct SQLiteMigrationRaceTests {
    /// Application migrations of the shape the catalog's are: new tables, each once.
    static let migrations = (1...6).map { index in
        SQLiteMigration("test v\(index)") { db in
            try db.execute(sql: "CREATE TABLE t\(index) (id INTEGER PRIMARY KEY)")
        }
    }

    @Test func queuesOpenedTogetherOnOneFileAllOpen() async throws {
        let folder = try Fixtures.scratchFolder("callaudio-migration-race")
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 0..<10 {
            let path = folder.appendingPathComponent("jobs-\(round).db").path
            _ = try SQLiteJobQueue(path: path)
            // Each open on a thread of its own: a loser waits in SQLite's busy handler, which must not hold Swift
            // concurrency's threads.
            let failed = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await offThePool { try SQLiteJobQueue(path: path, migrations: Self.migrations) }
                            return nil
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.compactMap { $0 }.reduce(into: []) { $0.append($1) }
            }
            #expect(failed.isEmpty, "round \(round): \(failed)")
            let queue = try SQLiteJobQueue(path: path, migrations: Self.migrations)
            #expect(try await queue.read { db in try (1...6).allSatisfy { try db.tableExists("t\($0)") } })
        }
    }

    /// What is not the race is still an error: a migration that fails on its own stops the open.
    @Test func aMigrationThatFailsOnItsOwnStillFailsTheOpen() throws {
        let folder = try Fixtures.scratchFolder("callaudio-migration-race")
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = SQLiteMigration("broken") { db in try db.execute(sql: "CREATE TABLE jobs (id INTEGER)") }
        #expect(throws: JobQueueError.self) {
            try SQLiteJobQueue(path: folder.appendingPathComponent("jobs.db").path, migrations: [broken])
        }
    }
}
