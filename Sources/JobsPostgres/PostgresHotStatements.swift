import Jobs
import PostgresNIO

/// The two statements every job runs, prepared once per connection so that PostgreSQL plans them once:
/// `Job.claim` and `Job.succeed` applied in SQL, each with its history entry. The conformance suite checks that
/// what they store equals what the Swift transitions give.
enum PostgresHotStatements {
    /// Claims the most urgent due row nobody else is claiming: $1 now, $2 worker, $3 lease end, $4 progress.
    struct Claim: PostgresPreparedStatement {
        static let sql = """
            WITH candidate AS (
                SELECT id FROM jobs WHERE status IN ('queued', 'retrying') AND run_at <= $1
                ORDER BY priority DESC, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE jobs SET status = 'running', attempts = jobs.attempts + 1, lease_worker = $2,
                    lease_expires_at = $3, progress = $4, updated_at = $1, version = jobs.version + 1
                FROM candidate WHERE jobs.id = candidate.id
                RETURNING jobs.*),
            logged AS (
                INSERT INTO job_events (job_id, at, event, worker, attempt)
                SELECT id, $1, 'claimed', $2, attempts FROM claimed)
            SELECT \(JobRow.columnList) FROM claimed
            """

        var now: Double
        var worker: String
        var leaseExpiresAt: Double
        var progress: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(now)
            bindings.append(worker)
            bindings.append(leaseExpiresAt)
            bindings.append(progress)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Job { try JobRow(row.makeRandomAccess()).makeJob() }
    }

    /// Records success when $3 still holds job $2: $1 now, $4 result, $5 progress.
    struct Succeed: PostgresPreparedStatement {
        static let sql = """
            WITH saved AS (
                UPDATE jobs SET status = 'succeeded', result = $4, failure = NULL, progress = $5,
                    lease_worker = NULL, lease_expires_at = NULL, updated_at = $1, version = version + 1
                WHERE id = $2 AND status = 'running' AND lease_worker = $3
                RETURNING jobs.*),
            logged AS (
                INSERT INTO job_events (job_id, at, event, worker, attempt)
                SELECT id, $1, 'succeeded', $3, attempts FROM saved)
            SELECT \(JobRow.columnList) FROM saved
            """

        var now: Double
        var id: Int64
        var worker: String
        var result: String
        var progress: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 5)
            bindings.append(now)
            bindings.append(id)
            bindings.append(worker)
            bindings.append(result)
            bindings.append(progress)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Job { try JobRow(row.makeRandomAccess()).makeJob() }
    }
}

extension JobRow {
    /// Reads the `columns` of a PostgreSQL row.
    init(_ cells: PostgresRandomAccessRow) throws {
        self.init(
            id: try cells["id"].decode(Int64.self), kind: try cells["kind"].decode(String.self),
            recipe: try cells["recipe"].decode(String.self), priority: try cells["priority"].decode(Int.self),
            idempotencyKey: try cells["idempotency_key"].decode(String?.self),
            status: try cells["status"].decode(String.self), attempts: try cells["attempts"].decode(Int.self),
            maxAttempts: try cells["max_attempts"].decode(Int.self), runAt: try cells["run_at"].decode(Double.self),
            leaseWorker: try cells["lease_worker"].decode(String?.self),
            leaseExpiresAt: try cells["lease_expires_at"].decode(Double?.self),
            progress: try cells["progress"].decode(String?.self), result: try cells["result"].decode(String?.self),
            failure: try cells["failure"].decode(String?.self), createdAt: try cells["created_at"].decode(Double.self),
            updatedAt: try cells["updated_at"].decode(Double.self))
    }
}
