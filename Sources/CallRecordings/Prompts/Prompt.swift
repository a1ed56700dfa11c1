import CallPrompts
import Foundation
import Jobs

/// A greeting, voicemail drop or recording disclosure the service holds for one owner (a user of the platform),
/// as the catalog keeps it: what it is, whose it is, the job that renders it, and whether it is the one the
/// phone system plays.
public struct Prompt: Sendable, Equatable {
    public var id: String
    public var kind: PromptKind
    /// The platform's id of the user the prompt belongs to.
    public var owner: String
    /// The user's label for it ("Holiday greeting").
    public var name: String
    /// The file name the upload came with (`greeting.m4a`), which a failure's reason names.
    public var uploadName: String
    /// The `prompt` job that renders it.
    public var jobID: Int64?
    public var createdAt: Date
    /// True for the one prompt of its owner and kind the phone system plays.
    public var active: Bool

    public init(
        id: String, kind: PromptKind, owner: String, name: String, uploadName: String, jobID: Int64? = nil,
        createdAt: Date, active: Bool = false
    ) {
        self.id = id
        self.kind = kind
        self.owner = owner
        self.name = name
        self.uploadName = uploadName
        self.jobID = jobID
        self.createdAt = createdAt
        self.active = active
    }

    /// Where a prompt stands, read from its job.
    public enum Status: String, Sendable, Codable {
        case queued, processing, ready, failed

        public init(job: JobStatus) {
            switch job {
            case .queued: self = .queued
            case .running, .retrying: self = .processing
            case .succeeded: self = .ready
            case .dead, .cancelled: self = .failed
            }
        }
    }
}
