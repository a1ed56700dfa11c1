import Testing

@testable import CallAudioJobs
@testable import Jobs

/// `--queue` as a user writes it.
@Suite struct JobQueueLocationTests {
    @Test func readsSQLiteAndPostgresLocations() throws {
        #expect(try JobQueueLocation("sqlite:/var/lib/jobs.db") == .sqlite(path: "/var/lib/jobs.db"))
        #expect(try JobQueueLocation("sqlite:jobs.db") == .sqlite(path: "jobs.db"))
        #expect(
            try JobQueueLocation("postgres://worker:secret@db.internal:5433/calls")
                == .postgres(host: "db.internal", port: 5433, user: "worker", password: "secret", database: "calls"))
        #expect(
            try JobQueueLocation("postgres://worker@db.internal/calls?sslmode=require")
                == .postgres(
                    host: "db.internal", port: 5432, user: "worker", password: nil, database: "calls", requireTLS: true)
        )
        #expect(
            try JobQueueLocation("postgresql://db")
                == .postgres(host: "db", port: 5432, user: "postgres", password: nil, database: "postgres"))
    }

    @Test(arguments: ["jobs.db", "sqlite:", "postgres://", "mysql://db/calls", "postgres://db/calls?sslmode=allow"])
    func refusesWhatItCannotOpen(_ text: String) {
        #expect(throws: JobQueueError.self) { try JobQueueLocation(text) }
    }
}
