import Foundation
import Jobs

/// A recording as the catalog keeps it: who and what the call was, and where the recording is in its life.
///
/// Its states follow its jobs: the processing job's status gives `status` (and, for an emailed voicemail,
/// `email`), the transcript job's gives `transcript`. The stores keep them in step in the same transaction as the
/// job's own change (a trigger on `jobs`), so that no crash between the two can leave them apart; the mapping is
/// this type's (`Status.init(job:)`, ...), and the catalog's conformance suite checks the stores against it.
public struct Recording: Sendable, Equatable {
    /// queued → processing → ready | failed → deleted (a retried job goes back to queued).
    public enum Status: String, Codable, Sendable, CaseIterable {
        case queued, processing, ready, failed, deleted

        /// The status a recording has while its processing job is in `job`.
        public init(job: JobStatus) {
            switch job {
            case .queued, .retrying: self = .queued
            case .running: self = .processing
            case .succeeded: self = .ready
            case .dead, .cancelled: self = .failed
            }
        }
    }

    /// none → requested → processing → ready | failed.
    public enum TranscriptStatus: String, Codable, Sendable, CaseIterable {
        case none, requested, processing, ready, failed

        /// The transcript's status while its job is in `job`.
        public init(job: JobStatus) {
            switch job {
            case .queued, .retrying: self = .requested
            case .running: self = .processing
            case .succeeded: self = .ready
            case .dead, .cancelled: self = .failed
            }
        }
    }

    /// An emailed voicemail's email: pending → sent | failed (its job sends it, and retries a refused send).
    public enum EmailStatus: String, Codable, Sendable, CaseIterable {
        case pending, sent, failed

        public init(job: JobStatus) {
            switch job {
            case .queued, .retrying, .running: self = .pending
            case .succeeded: self = .sent
            case .dead, .cancelled: self = .failed
            }
        }
    }

    public var id: String
    public var kind: RecordingMetadata.Kind
    /// The platform's call (or voicemail) id, when it gave one.
    public var callID: String?
    public var details: CallDetails
    public var status: Status
    public var transcript: TranscriptStatus
    /// Only for a voicemail that is emailed.
    public var email: EmailStatus?
    /// The job that processes the recording, and the one that transcribes it once asked for.
    public var jobID: Int64?
    public var transcriptJobID: Int64?
    /// When the service took the recording in.
    public var createdAt: Date
    public var deletedAt: Date?

    public init(
        id: String, kind: RecordingMetadata.Kind, callID: String? = nil, details: CallDetails = CallDetails(),
        status: Status = .queued, transcript: TranscriptStatus = .none, email: EmailStatus? = nil,
        jobID: Int64? = nil, transcriptJobID: Int64? = nil, createdAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.kind = kind
        self.callID = callID
        self.details = details
        self.status = status
        self.transcript = transcript
        self.email = email
        self.jobID = jobID
        self.transcriptJobID = transcriptJobID
        self.createdAt = createdAt
        self.deletedAt = deletedAt
    }

    /// What the list is sorted by, newest first: when the call began, else when the service took it in.
    public var sortTime: Date { details.startedAt ?? createdAt }

    /// The recording once deleted: its id and the time it went, nothing else of it.
    public func deleted(at time: Date) -> Recording {
        Recording(id: id, kind: kind, status: .deleted, createdAt: createdAt, deletedAt: time)
    }
}
