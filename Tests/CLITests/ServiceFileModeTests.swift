import AudioTesting
import Foundation
import Testing

/// What the service's commands create is for the service's user only: storage folders 0700, the queue's file
/// and the signing key 0600, whatever the caller's umask (issue 20, finding 8).
@Suite struct ServiceFileModeTests {
    @Test func theQueueAndStorageAreCreatedForTheServicesUserOnly() async throws {
        try await withScratchFolder("private-files") { folder async throws in
            let database = folder.appendingPathComponent("queue/jobs.db")
            try FileManager.default.createDirectory(
                at: database.deletingLastPathComponent(), withIntermediateDirectories: true)
            let storage = folder.appendingPathComponent("storage")
            let run = try await CLIRunner.run([
                "delete", String(repeating: "0", count: 24), "--queue", "sqlite:\(database.path)", "--storage",
                storage.path,
            ])
            #expect(run.status == 69, "\(run.stderr)")
            func mode(_ url: URL) throws -> Int? {
                try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
            }
            for path in ["", "recordings", "uploads"] {
                #expect(try mode(storage.appendingPathComponent(path)) == 0o700, "storage/\(path)")
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: database.deletingLastPathComponent().path)
            #expect(files.contains("jobs.db"))
            for file in files {
                #expect(try mode(database.deletingLastPathComponent().appendingPathComponent(file)) == 0o600, "\(file)")
            }
        }
    }
}
