import Foundation
import Jobs

/// The recordings the service holds, in the queue's own database (a `recordings` table beside the jobs): what
/// lists, filters and deletions read, where a recording's folder holds its files.
///
/// Two stores, SQLite and PostgreSQL, run through one conformance suite. Each keeps a recording's states in step
/// with its jobs inside the database (`Recording`), so a worker needs no catalog of its own to keep it true.
public protocol RecordingCatalog: Sendable {
    /// The queue the catalog shares its database with.
    var queue: any JobQueue { get }

    /// Enqueues `request`, the recording's processing job, and records `recording` with its id in the same
    /// transaction; when the job existed already (its key was seen), records nothing.
    func enqueue(_ request: JobRequest, recording: Recording) async throws -> Enqueued

    /// Records a recording that exists on disk but not in the catalog (a folder made before the catalog
    /// existed); returns false when the catalog had it already.
    func importRecording(_ recording: Recording) async throws -> Bool

    /// The recording with `id`, deleted ones included; nil when the catalog has none.
    func recording(_ id: String) async throws -> Recording?

    /// A page of the recordings `filter` lets through, newest call first, starting after `cursor`.
    func recordings(matching filter: RecordingFilter, limit: Int, after cursor: RecordingCursor?) async throws
        -> RecordingPage

    /// Keeps only the recording's id and its deletion time.
    func markDeleted(_ id: String, at time: Date) async throws
}
