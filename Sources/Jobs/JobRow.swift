import Foundation

/// A job flattened into the column values both stores keep: numbers, text, and JSON text for the nested
/// values, with times as seconds since 1970. Each store maps its own row type to and from this one.
package struct JobRow: Sendable {
    package static let columns = [
        "id", "kind", "recipe", "priority", "idempotency_key", "status", "attempts", "max_attempts", "run_at",
        "lease_worker", "lease_expires_at", "progress", "result", "failure", "created_at", "updated_at",
    ]
    package static let columnList = columns.joined(separator: ", ")

    package var id: Int64
    package var kind: String
    package var recipe: String
    package var priority: Int
    package var idempotencyKey: String?
    package var status: String
    package var attempts: Int
    package var maxAttempts: Int
    package var runAt: Double
    package var leaseWorker: String?
    package var leaseExpiresAt: Double?
    package var progress: String?
    package var result: String?
    package var failure: String?
    package var createdAt: Double
    package var updatedAt: Double

    package init(
        id: Int64, kind: String, recipe: String, priority: Int, idempotencyKey: String?, status: String,
        attempts: Int, maxAttempts: Int, runAt: Double, leaseWorker: String?, leaseExpiresAt: Double?,
        progress: String?, result: String?, failure: String?, createdAt: Double, updatedAt: Double
    ) {
        self.id = id
        self.kind = kind
        self.recipe = recipe
        self.priority = priority
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.attempts = attempts
        self.maxAttempts = maxAttempts
        self.runAt = runAt
        self.leaseWorker = leaseWorker
        self.leaseExpiresAt = leaseExpiresAt
        self.progress = progress
        self.result = result
        self.failure = failure
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    package init(_ job: Job) throws {
        self.init(
            id: job.id, kind: job.kind, recipe: try Self.json(job.recipe), priority: job.priority,
            idempotencyKey: job.idempotencyKey, status: job.status.rawValue, attempts: job.attempts,
            maxAttempts: job.maxAttempts, runAt: job.runAt.timeIntervalSince1970, leaseWorker: job.lease?.worker,
            leaseExpiresAt: job.lease?.expiresAt.timeIntervalSince1970, progress: try Self.jsonIfPresent(job.progress),
            result: try Self.jsonIfPresent(job.result), failure: try Self.jsonIfPresent(job.failure),
            createdAt: job.createdAt.timeIntervalSince1970, updatedAt: job.updatedAt.timeIntervalSince1970)
    }

    package func makeJob() throws -> Job {
        guard let status = JobStatus(rawValue: status) else {
            throw JobQueueError("job \(id): unknown status \(status)")
        }
        let lease = zip(leaseWorker, leaseExpiresAt).map {
            Lease(worker: $0, expiresAt: Date(timeIntervalSince1970: $1))
        }
        return Job(
            id: id, kind: kind, recipe: try readRecipe(), priority: priority,
            idempotencyKey: idempotencyKey, status: status, attempts: attempts, maxAttempts: maxAttempts,
            runAt: Date(timeIntervalSince1970: runAt), lease: lease,
            progress: try Self.decode(JobProgress.self, progress), result: try Self.decode(JobResult.self, result),
            failure: try Self.decode(JobFailure.self, failure), createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt))
    }

    /// The recipe column, refused when a newer build wrote it.
    private func readRecipe() throws -> JSONValue {
        do {
            let recipe = try Self.decode(JSONValue.self, json: self.recipe)
            try Job.checkFormat(of: recipe)
            return recipe
        } catch {
            throw JobQueueError("job \(id): its recipe cannot be read: \(error)")
        }
    }

    package static func jsonIfPresent<T: Encodable>(_ value: T?) throws -> String? {
        try value.map { try json($0) }
    }

    /// The JSON of a column: keys sorted, times in ISO 8601 with fractional seconds (`docs/queue-format.md`).
    package static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timeFormat))
        }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reads what `json` writes; times also as the seconds since 2001 that rows stored before the format was
    /// written down hold.
    package static func decode<T: Decodable>(_ type: T.Type, json text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSinceReferenceDate: seconds) }
            let text = try container.decode(String.self)
            guard let date = try? timeFormat.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\(text) is not an ISO 8601 time")
            }
            return date
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        try text.map { try decode(type, json: $0) }
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

extension Job {
    /// The job with its times at the precision the stores keep them (seconds since 1970 in a Double), so that
    /// what a store returns equals what it reads back later.
    package var asStored: Job {
        func stored(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970) }
        var job = self
        job.runAt = stored(runAt)
        job.createdAt = stored(createdAt)
        job.updatedAt = stored(updatedAt)
        job.lease?.expiresAt = stored(lease?.expiresAt ?? updatedAt)
        return job
    }
}
