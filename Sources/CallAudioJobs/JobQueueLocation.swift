import Foundation
import Logging
import PostgresNIO

/// Where a queue lives, as written on the command line: `sqlite:PATH` or `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`.
public enum JobQueueLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String)

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
        self = .postgres(
            host: host, port: url.port ?? 5432, user: user, password: url.password,
            database: database.isEmpty ? user : String(database))
    }

    /// Opens the queue (creating or migrating its schema as needed).
    public func open(
        clock: any JobClock = SystemJobClock(), retryPolicy: RetryPolicy = RetryPolicy(), logger: Logger
    ) async throws -> any JobQueue {
        switch self {
        case .sqlite(let path):
            return try SQLiteJobQueue(path: path, clock: clock, retryPolicy: retryPolicy)
        case .postgres(let host, let port, let user, let password, let database):
            let configuration = PostgresClient.Configuration(
                host: host, port: port, username: user, password: password, database: database, tls: .disable)
            return try await PostgresJobQueue(
                configuration: configuration, clock: clock, retryPolicy: retryPolicy, logger: logger)
        }
    }
}
