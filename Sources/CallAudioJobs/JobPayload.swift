import CallAudio
import CallPrompts
import CallTranscription
import CallVoicemail
import CallWebhooks
import Foundation
import Jobs

/// The kinds of work a worker runs.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// A finished call's legs into its recording and report.
    case call
    /// A voicemail (a one-leg call): urgent, someone waits for the email.
    case voicemail
    /// Batch re-encoding of one existing recording.
    case reencode
    /// The transcript of a recording whose audio is done: slower than the audio, so a job of its own.
    case transcribe
    /// One signed event POSTed to the platform (`recording.ready`, ...): retried with backoff until delivered.
    case webhook
    /// An uploaded or browser-recorded greeting, drop or disclosure made ready for playout (`callaudio prompt`):
    /// someone is waiting in a settings page for it.
    case prompt

    /// The priority a job of this kind gets when the submitter names none: voicemail before calls before
    /// batch re-encodes.
    public var defaultPriority: Int {
        switch self {
        case .voicemail: 20
        case .prompt: 18
        case .webhook: 15
        case .call: 10
        case .transcribe: 5
        case .reencode: 0
        }
    }
}

/// The recipe a job runs, tagged with its kind.
///
/// Its JSON is the documented queue format (`docs/queue-format.md`): a store keeps the kind in one column and
/// the recipe, stamped with `formatVersion`, in another; a whole payload (as `jobs show --json` prints it) is
/// `{"kind": ..., "recipe": {...}}`. No compiler-generated keys: other programs may write and read it.
public enum JobPayload: Sendable, Equatable {
    case call(CallRecipe)
    case voicemail(CallRecipe)
    /// A voicemail that is also emailed (kind `voicemail`).
    case voicemailEmail(VoicemailEmailJob)
    case reencode(EncodeRecipe)
    case transcribe(TranscribeRecipe)
    case webhook(WebhookDelivery)
    case prompt(PromptRecipe)

    public var kind: JobKind {
        switch self {
        case .call: .call
        case .voicemail, .voicemailEmail: .voicemail
        case .reencode: .reencode
        case .transcribe: .transcribe
        case .webhook: .webhook
        case .prompt: .prompt
        }
    }

    private var recipe: any Encodable {
        switch self {
        case .call(let recipe), .voicemail(let recipe): recipe
        case .voicemailEmail(let job): job
        case .reencode(let recipe): recipe
        case .transcribe(let recipe): recipe
        case .webhook(let delivery): delivery
        case .prompt(let recipe): recipe
        }
    }

    /// The payload of `job`, read from its kind and recipe.
    public init(_ job: Job) throws {
        try self.init(kind: job.kind, recipe: job.recipe)
    }

    /// Reads a payload from a kind's name and its recipe JSON.
    public init(kind: String, recipe: JSONValue) throws {
        self = try JSONValue.object(["kind": .string(kind), "recipe": recipe]).decode(JobPayload.self)
    }

    /// The recipe alone, stamped with the format version: what a job holds next to its kind.
    public func stampedRecipe() throws -> JSONValue {
        try Job.stampedRecipe(AnyRecipe(recipe))
    }
}

extension JobPayload: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, recipe
    }

    /// The keys of a recipe object this type itself looks at.
    private enum RecipeKeys: String, CodingKey {
        case formatVersion
        /// Present only in a voicemail that is also emailed.
        case email
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(JobKind.self, forKey: .kind)
        let recipe = try container.nestedContainer(keyedBy: RecipeKeys.self, forKey: .recipe)
        let version = try recipe.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        guard version <= Job.formatVersion else { throw Job.NewerFormat(version: version) }
        switch kind {
        case .call: self = .call(try container.decode(CallRecipe.self, forKey: .recipe))
        case .voicemail:
            self =
                recipe.contains(.email)
                ? .voicemailEmail(try container.decode(VoicemailEmailJob.self, forKey: .recipe))
                : .voicemail(try container.decode(CallRecipe.self, forKey: .recipe))
        case .reencode: self = .reencode(try container.decode(EncodeRecipe.self, forKey: .recipe))
        case .transcribe: self = .transcribe(try container.decode(TranscribeRecipe.self, forKey: .recipe))
        case .webhook: self = .webhook(try container.decode(WebhookDelivery.self, forKey: .recipe))
        case .prompt: self = .prompt(try container.decode(PromptRecipe.self, forKey: .recipe))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(stampedRecipe(), forKey: .recipe)
    }
}

/// A recipe of any kind, encoded as itself.
private struct AnyRecipe: Encodable {
    let recipe: any Encodable

    init(_ recipe: any Encodable) { self.recipe = recipe }

    func encode(to encoder: any Encoder) throws { try recipe.encode(to: encoder) }
}

extension Job {
    /// The job's kind and recipe, read.
    public var payload: JobPayload {
        get throws { try JobPayload(self) }
    }
}

extension JobRequest {
    /// A request for `payload`, at its kind's priority unless another is given.
    public init(payload: JobPayload, priority: Int? = nil, idempotencyKey: String? = nil, maxAttempts: Int = 5) throws {
        self.init(
            kind: payload.kind.rawValue, recipe: try payload.stampedRecipe(),
            priority: priority ?? payload.kind.defaultPriority, idempotencyKey: idempotencyKey,
            maxAttempts: maxAttempts)
    }

    /// The request's kind and recipe, read.
    public var payload: JobPayload {
        get throws { try JobPayload(kind: kind, recipe: recipe) }
    }
}

extension JobFilter {
    /// Only jobs of `kind` (and the other conditions given).
    public init(status: JobStatus? = nil, kind: JobKind, key: String? = nil, updatedSince: Date? = nil) {
        self.init(status: status, kind: kind.rawValue, key: key, updatedSince: updatedSince)
    }
}

extension JobResult {
    /// A result with the audio library's report.
    public init(outputs: [String], report: JobReport, followUps: [JobRequest] = []) throws {
        self.init(outputs: outputs, report: try JSONValue(encoding: report), followUps: followUps)
    }

    /// The audio library's report of the run, read; nil when the job made none.
    public var audioReport: JobReport? {
        get throws { try report?.decode(JobReport.self) }
    }
}

/// The audio library's own report of a run: `{"call": {...}}`, `{"encode": {...}}`, `{"voicemail": {...}}` or
/// `{"prompt": {...}}`.
public enum JobReport: Sendable, Equatable {
    case call(CallReport)
    case encode(EncodeResult)
    /// The voicemail's `voicemail.json`: its audio, transcript, email (`Message-ID`) and delivery (the server's
    /// reply).
    case voicemail(VoicemailReport)
    /// The prompt's `prompt.json`: its duration, levels and renditions.
    case prompt(PromptReport)
}

extension JobReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case call, encode, voicemail, prompt
    }

    /// Results stored before the format was written down nest the report under a compiler-made `_0` key.
    private enum EarlierKeys: String, CodingKey {
        case value = "_0"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.call) {
            self = .call(try Self.decode(CallReport.self, container, .call))
        } else if container.contains(.encode) {
            self = .encode(try Self.decode(EncodeResult.self, container, .encode))
        } else if container.contains(.prompt) {
            self = .prompt(try container.decode(PromptReport.self, forKey: .prompt))
        } else {
            self = .voicemail(try Self.decode(VoicemailReport.self, container, .voicemail))
        }
    }

    private static func decode<Report: Decodable>(
        _ type: Report.Type, _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Report {
        if let earlier = try? container.nestedContainer(keyedBy: EarlierKeys.self, forKey: key),
            earlier.contains(.value)
        {
            return try earlier.decode(Report.self, forKey: .value)
        }
        return try container.decode(Report.self, forKey: key)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .call(let report): try container.encode(report, forKey: .call)
        case .encode(let result): try container.encode(result, forKey: .encode)
        case .voicemail(let report): try container.encode(report, forKey: .voicemail)
        case .prompt(let report): try container.encode(report, forKey: .prompt)
        }
    }
}
