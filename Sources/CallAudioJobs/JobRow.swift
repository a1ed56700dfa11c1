import Foundation

/// A job flattened into the column values both stores keep: numbers, text, and JSON text for the nested
/// values, with times as seconds since 1970. Each store maps its own row type to and from this one.
struct JobRow: Sendable {
    static let columns = [
        "id", "kind", "recipe", "priority", "idempotency_key", "status", "attempts", "max_attempts", "run_at",
        "lease_worker", "lease_expires_at", "progress", "result", "failure", "created_at", "updated_at",
    ]
    static let columnList = columns.joined(separator: ", ")

    var id: Int64
    var kind: String
    var recipe: String
    var priority: Int
    var idempotencyKey: String?
    var status: String
    var attempts: Int
    var maxAttempts: Int
    var runAt: Double
    var leaseWorker: String?
    var leaseExpiresAt: Double?
    var progress: String?
    var result: String?
    var failure: String?
    var createdAt: Double
    var updatedAt: Double

    init(
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

    init(_ job: Job) throws {
        self.init(
            id: job.id, kind: job.kind.rawValue, recipe: try job.payload.encodedRecipe(), priority: job.priority,
            idempotencyKey: job.idempotencyKey, status: job.status.rawValue, attempts: job.attempts,
            maxAttempts: job.maxAttempts, runAt: job.runAt.timeIntervalSince1970, leaseWorker: job.lease?.worker,
            leaseExpiresAt: job.lease?.expiresAt.timeIntervalSince1970, progress: try Self.json(job.progress),
            result: try Self.json(job.result), failure: try Self.json(job.failure),
            createdAt: job.createdAt.timeIntervalSince1970, updatedAt: job.updatedAt.timeIntervalSince1970)
    }

    func makeJob() throws -> Job {
        guard let kind = JobKind(rawValue: kind) else { throw JobQueueError("job \(id): unknown kind \(kind)") }
        guard let status = JobStatus(rawValue: status) else {
            throw JobQueueError("job \(id): unknown status \(status)")
        }
        let lease = zip(leaseWorker, leaseExpiresAt).map {
            Lease(worker: $0, expiresAt: Date(timeIntervalSince1970: $1))
        }
        return Job(
            id: id, payload: try JobPayload(kind: kind, recipeJSON: recipe), priority: priority,
            idempotencyKey: idempotencyKey, status: status, attempts: attempts, maxAttempts: maxAttempts,
            runAt: Date(timeIntervalSince1970: runAt), lease: lease,
            progress: try Self.decode(JobProgress.self, progress), result: try Self.decode(JobResult.self, result),
            failure: try Self.decode(JobFailure.self, failure), createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt))
    }

    static func json<T: Encodable>(_ value: T?) throws -> String? {
        guard let value else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
        guard let text else { return nil }
        return try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
