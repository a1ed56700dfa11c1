import Foundation
import Jobs
import JobsPostgres
import JobsSQLite
import Logging
import PostgresNIO

/// Where a queue lives, as written on the command line: `sqlite:PATH` or
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require]`.
public enum JobQueueLocation: Sendable, Equatable {
    case sqlite(path: String)
    /// `requireTLS` (`?sslmode=require`) connects over TLS, verifying the server's certificate; otherwise the
    /// connection is plain, for loopback and private networks.
    case postgres(host: String, port: Int, user: String, password: String?, database: String, requireTLS: Bool = false)

    /// Parses a location, or explains what it expected.
    public init(_ text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw JobQueueError("\(text): give a file after sqlite:, e.g. sqlite:jobs.db") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let url = URLComponents(string: text), let host = url.host, !host.isEmpty
        else {
            throw JobQueueError("\(text): expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE")
        }
        let user = url.user ?? "postgres"
        let database = url.path.drop { $0 == "/" }
        let sslMode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        guard sslMode == "disable" || sslMode == "require" else {
            throw JobQueueError("\(text): sslmode must be disable or require")
        }
        self = .postgres(
            host: host, port: url.port ?? 5432, user: user, password: url.password,
            database: database.isEmpty ? user : String(database), requireTLS: sslMode == "require")
    }

    /// A location by what it takes to open it.
    public enum Target {
        case sqlite(path: String)
        case postgres(PostgresClient.Configuration)
    }

    public var target: Target {
        switch self {
        case .sqlite(let path): .sqlite(path: path)
        case .postgres(let host, let port, let user, let password, let database, let requireTLS):
            .postgres(
                PostgresClient.Configuration(
                    host: host, port: port, username: user, password: password, database: database,
                    tls: requireTLS ? .require(.makeClientConfiguration()) : .disable))
        }
    }

    /// Opens the queue (creating or migrating its schema as needed). With `readOnly` (the caller only reads), a
    /// SQLite file this process may not write is opened to be read instead (`SQLiteJobQueue(readingOnly:)`).
    public func open(
        clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy(), readOnly: Bool = false,
        logger: Logger
    ) async throws -> any JobQueue {
        switch target {
        case .sqlite(let path):
            do {
                return try SQLiteJobQueue(path: path, clock: clock, retryPolicy: retryPolicy)
            } catch  where readOnly {
                guard let reader = try? SQLiteJobQueue(readingOnly: path, clock: clock) else { throw error }
                return reader
            }
        case .postgres(let configuration):
            return try await PostgresJobQueue(
                configuration: configuration, clock: clock, retryPolicy: retryPolicy, logger: logger)
        }
    }
}
