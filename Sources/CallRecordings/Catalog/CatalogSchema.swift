import Jobs

/// The `recordings` table in both dialects, and the trigger that keeps each recording's states in step with its
/// jobs. The trigger's `CASE` expressions are written from `Recording`'s own mapping, so that the databases and
/// the Swift type cannot disagree.
enum CatalogSchema {
    static let migrationName = "v2: the recordings catalog and its transcript search"

    /// `real` and `integer` are the dialect's types for times and job ids.
    static func table(real: String, integer: String) -> String {
        """
        CREATE TABLE recordings (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            call_id TEXT,
            direction TEXT,
            from_number TEXT,
            to_number TEXT,
            from_digits TEXT,
            to_digits TEXT,
            started_at \(real),
            call_status TEXT,
            handled_by TEXT,
            handled_by_name TEXT,
            contact_id TEXT,
            conversation_id TEXT,
            status TEXT NOT NULL,
            transcript TEXT NOT NULL,
            email TEXT,
            job_id \(integer),
            transcript_job_id \(integer),
            created_at \(real) NOT NULL,
            deleted_at \(real),
            sort_at \(real) NOT NULL,
            transcript_indexed INTEGER NOT NULL DEFAULT 0
        )
        """
    }

    /// The transcript segments search looks through; `id` is the dialect's auto-numbered key, `extra` any
    /// columns the dialect adds (PostgreSQL's search vector). `search_text` is the text as search compares it
    /// (`TranscriptQuery.fold`), so that both databases match alike.
    static func segmentsTable(id: String, real: String, extra: String = "") -> String {
        """
        CREATE TABLE transcript_segments (
            id \(id),
            recording_id TEXT NOT NULL,
            start_seconds \(real) NOT NULL,
            end_seconds \(real) NOT NULL,
            speaker TEXT,
            text TEXT NOT NULL,
            search_text TEXT NOT NULL\(extra)
        )
        """
    }

    /// One index per filter that narrows a list, each in the list's order, over recordings not deleted; and the
    /// job ids the trigger looks recordings up by.
    static let indexes = [
        "CREATE INDEX recordings_newest ON recordings (sort_at DESC, id DESC) WHERE status <> 'deleted'",
        "CREATE INDEX recordings_contact ON recordings (contact_id, sort_at DESC, id DESC) WHERE status <> 'deleted'",
        """
        CREATE INDEX recordings_conversation ON recordings (conversation_id, sort_at DESC, id DESC)
            WHERE status <> 'deleted'
        """,
        "CREATE INDEX recordings_handler ON recordings (handled_by, sort_at DESC, id DESC) WHERE status <> 'deleted'",
        "CREATE INDEX recordings_from ON recordings (from_digits, sort_at DESC, id DESC) WHERE status <> 'deleted'",
        "CREATE INDEX recordings_to ON recordings (to_digits, sort_at DESC, id DESC) WHERE status <> 'deleted'",
        "CREATE INDEX recordings_job ON recordings (job_id)",
        "CREATE INDEX recordings_transcript_job ON recordings (transcript_job_id)",
        "CREATE INDEX recordings_awaiting_index ON recordings (id) WHERE transcript = 'ready' AND transcript_indexed = 0",
        "CREATE INDEX transcript_segments_recording ON transcript_segments (recording_id, start_seconds)",
    ]

    /// The statements the trigger runs when job `NEW` changes status.
    static var followJob: String {
        """
        UPDATE recordings SET status = \(mapping(Recording.Status.init(job:))),
            email = CASE WHEN email IS NULL THEN NULL ELSE \(mapping(Recording.EmailStatus.init(job:))) END
        WHERE job_id = NEW.id AND status <> 'deleted';
        UPDATE recordings SET transcript = \(mapping(Recording.TranscriptStatus.init(job:))), transcript_indexed = 0
        WHERE transcript_job_id = NEW.id AND status <> 'deleted';
        """
    }

    /// The statement the trigger runs when a `transcribe` job `NEW` is queued: the recording its parent job made
    /// now waits for it. `parentJob` is the expression that reads the parent's id from the recipe.
    static func linkTranscript(parentJob: String) -> String {
        """
        UPDATE recordings SET transcript_job_id = NEW.id, transcript = '\(Recording.TranscriptStatus.requested.rawValue)'
        WHERE job_id = \(parentJob) AND status <> 'deleted';
        """
    }

    /// `CASE NEW.status WHEN 'queued' THEN ... END` for every job status.
    private static func mapping<State: RawRepresentable>(_ state: (JobStatus) -> State) -> String
    where State.RawValue == String {
        "CASE NEW.status "
            + JobStatus.allCases.map { "WHEN '\($0.rawValue)' THEN '\(state($0).rawValue)'" }.joined(separator: " ")
            + " END"
    }

    static let transcribeKind = "transcribe"
}
