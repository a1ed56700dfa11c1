import CallAudio
import CallTranscription
import CallVoicemail
import CallWebhooks
import Foundation

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

    /// The recipe format this build writes, and the newest it reads. A recipe without `formatVersion` is
    /// version 1, as every recipe stored before the field existed.
    public static let formatVersion = 1

    public var kind: JobKind {
        switch self {
        case .call: .call
        case .voicemail, .voicemailEmail: .voicemail
        case .reencode: .reencode
        case .transcribe: .transcribe
        case .webhook: .webhook
        }
    }

    private var recipe: any Encodable {
        switch self {
        case .call(let recipe), .voicemail(let recipe): recipe
        case .voicemailEmail(let job): job
        case .reencode(let recipe): recipe
        case .transcribe(let recipe): recipe
        case .webhook(let delivery): delivery
        }
    }

    /// The recipe alone, as JSON: what a store keeps next to the kind.
    func encodedRecipe() throws -> String {
        try JobRow.json(StampedRecipe(recipe: recipe))
    }

    /// Rebuilds a payload from a stored kind and recipe JSON.
    init(kind: JobKind, recipeJSON: String) throws {
        let whole = "{\"kind\":\"\(kind.rawValue)\",\"recipe\":\(recipeJSON)}"
        self = try JobRow.decode(JobPayload.self, json: whole)
    }

    /// A recipe written by a newer build than this one: upgrade the workers before the programs that submit.
    public struct NewerFormat: Error, CustomStringConvertible {
        public var version: Int
        public var description: String {
            "the recipe is format version \(version); this build reads up to \(JobPayload.formatVersion) (upgrade it)"
        }
    }
}

extension JobPayload: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, recipe
    }

    /// The keys of a recipe object this type itself looks at.
    fileprivate enum RecipeKeys: String, CodingKey {
        case formatVersion
        /// Present only in a voicemail that is also emailed.
        case email
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(JobKind.self, forKey: .kind)
        let recipe = try container.nestedContainer(keyedBy: RecipeKeys.self, forKey: .recipe)
        let version = try recipe.decodeIfPresent(Int.self, forKey: .formatVersion) ?? 1
        guard version <= Self.formatVersion else { throw NewerFormat(version: version) }
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
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(StampedRecipe(recipe: recipe), forKey: .recipe)
    }
}

/// A recipe's own fields plus `formatVersion`, in one JSON object.
private struct StampedRecipe: Encodable {
    let recipe: any Encodable

    func encode(to encoder: any Encoder) throws {
        try recipe.encode(to: encoder)
        var container = encoder.container(keyedBy: JobPayload.RecipeKeys.self)
        try container.encode(JobPayload.formatVersion, forKey: .formatVersion)
    }
}

/// The audio library's own report of a run: `{"call": {...}}`, `{"encode": {...}}` or `{"voicemail": {...}}`.
public enum JobReport: Sendable, Equatable {
    case call(CallReport)
    case encode(EncodeResult)
    /// The voicemail's `voicemail.json`: its audio, transcript, email (`Message-ID`) and delivery (the server's
    /// reply).
    case voicemail(VoicemailReport)
}

extension JobReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case call, encode, voicemail
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
        }
    }
}
