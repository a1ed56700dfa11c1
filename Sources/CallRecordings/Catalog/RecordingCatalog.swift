import Foundation
import Jobs

/// The recordings the service holds, in the queue's own database (a `recordings` table beside the jobs): what
/// lists, filters and deletions read, where a recording's folder holds its files.
///
/// Two stores, SQLite and PostgreSQL, run through one conformance suite. Each keeps a recording's states in step
/// with its jobs inside the database (`Recording`), so a worker needs no catalog of its own to keep it true. The
/// same database keeps the prompts (`PromptCatalog`).
public protocol RecordingCatalog: PromptCatalog {
    /// The queue the catalog shares its database with.
    var queue: any JobQueue { get }

    /// Enqueues `request`, the recording's processing job, and records `recording` with its id in the same
    /// transaction; when the job existed already (its key was seen), records nothing.
    func enqueue(_ request: JobRequest, recording: Recording) async throws -> Enqueued

    /// Records recordings that exist on disk but not in the catalog (folders made before the catalog existed), in
    /// one transaction; those the catalog has already are left as they are.
    /// - Returns: how many were new.
    func importRecordings(_ recordings: [Recording]) async throws -> Int

    /// The recording with `id`, deleted ones included; nil when the catalog has none.
    func recording(_ id: String) async throws -> Recording?

    /// A page of the recordings `filter` lets through, newest call first, starting after `cursor`.
    func recordings(matching filter: RecordingFilter, limit: Int, after cursor: RecordingCursor?) async throws
        -> RecordingPage

    /// Keeps only the recording's id and its deletion time, and takes its transcript out of the search index.
    func markDeleted(_ id: String, at time: Date) async throws

    /// The ids of recordings whose transcript is ready but not yet searchable, at most `limit`.
    func recordingsAwaitingIndex(limit: Int) async throws -> [String]

    /// Makes `segments` recording `id`'s searchable transcript, in place of any it had, in one transaction.
    func index(_ segments: [IndexedSegment], of id: String) async throws

    /// A page of the transcript segments that hold every word and phrase of `query`, of recordings `filter`
    /// lets through: newest call first, then in the order they were said, starting after `cursor`.
    func search(_ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?)
        async throws -> SearchPage

    /// The database's plan for a page of the list (or, given `query`, of a search) that `filter` narrows: for
    /// operators and benchmarks checking that the indexes are used.
    func queryPlan(of filter: RecordingFilter, searching query: TranscriptQuery?) async throws -> String

    /// The service's secret `name`: the one stored first, `proposed` when none was, so that every API node on
    /// the database signs and verifies alike.
    func sharedSecret(_ name: String, proposing proposed: Data) async throws -> Data

    /// True the first time message `id` is offered while remembered (until `expiry`); false for a replay. Ids
    /// whose memory ran out by `now` are forgotten.
    func admitMessage(_ id: String, now: Date, until expiry: Date) async throws -> Bool
}

/// A catalog whose search can be given its plan (`SearchPlan`); nil lets it choose, as `search` does. The tests run
/// every plan, which must all find the same page.
package protocol PlannedSearch: RecordingCatalog {
    func search(
        _ query: TranscriptQuery, matching filter: RecordingFilter, limit: Int, after cursor: SearchCursor?,
        plan: SearchPlan?
    ) async throws -> SearchPage
}
