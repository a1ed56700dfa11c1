import CallPrompts
import Foundation

/// `GET /v1/prompts/{id}`: a prompt as the platform sees it, with a signed link to each of its renditions once
/// it is ready.
public struct PromptResource: Codable, Sendable, Equatable {
    public var id: String
    public var kind: PromptKind
    public var owner: String
    public var name: String
    /// `queued`, `processing`, `ready` or `failed`.
    public var status: Prompt.Status
    /// Why it failed, in the words `callaudio prompt` uses, naming the uploaded file as the user called it.
    public var error: String?
    /// Seconds after trimming, once ready.
    public var duration: Double?
    /// True for the one prompt of its owner and kind the phone system plays.
    public var active: Bool
    /// Each rendition by its file name (`prompt-ulaw.wav`, ..., `prompt.mp3`): a signed, expiring URL served with
    /// ranges and an ETag. Empty until ready.
    public var files: [String: String]
    public var createdAt: Date
    /// This resource's own path.
    public var url: String

    enum CodingKeys: String, CodingKey {
        case id, kind, owner, name, status, error, duration, active, files, url
        case createdAt = "created_at"
    }
}

/// `GET /v1/prompts`: a page of prompts, newest first.
public struct PromptList: Codable, Sendable, Equatable {
    public var prompts: [PromptResource]
}
