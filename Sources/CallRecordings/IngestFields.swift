import CallAudio
import Foundation

/// The text fields of an ingest request (`call_id`, `offsets`, `roles`, `layout`, `denoise`, `transcribe`),
/// spelled as the CLI's flags, turned into a `CallRecipe` for legs already on disk.
struct IngestFields {
    var callID: String?
    var offsets: [Int: Double] = [:]
    var roles: [String] = []
    var layout: CallRecipe.Layout = .mono
    /// The `denoise` field; nil for the default of the recording's use (`Enhancement.recommendedHere(for:)`).
    var denoise: NoiseSuppressor.Level?
    var transcribe = false

    /// The parts `POST /v1/calls` takes besides `leg1`, `leg2`, ...
    static let callNames: Set = ["call_id", "offsets", "roles", "layout", "denoise", "transcribe"]
    /// The parts `POST /v1/voicemails` takes besides the email's (`VoicemailEmailFields.names`).
    static let voicemailNames: Set = ["file", "call_id", "denoise", "transcribe"]

    init(_ fields: [String: String], legCount: Int) throws(FieldProblem) {
        callID = fields["call_id"].flatMap { $0.isEmpty ? nil : $0 }
        if let callID, callID.count > 256 { throw FieldProblem(message: "call_id is longer than 256 characters") }
        for item in (fields["offsets"] ?? "").split(separator: ",") {
            let pair = item.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let leg = Int(pair[0]), let seconds = Double(pair[1]), seconds.isFinite else {
                throw FieldProblem(message: "offsets: \(item) is not LEG=SECONDS (as 2=2.0)")
            }
            guard (1...legCount).contains(leg) else {
                throw FieldProblem(message: "offsets: there is no leg \(leg) (legs are 1 to \(legCount))")
            }
            offsets[leg] = seconds
        }
        roles = (fields["roles"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let text = fields["layout"] {
            guard let layout = CallRecipe.Layout(rawValue: text) else {
                throw FieldProblem(message: "layout: \(text) is not mono or stereo")
            }
            self.layout = layout
        }
        if let text = fields["denoise"] {
            guard let level = NoiseSuppressor.Level(rawValue: text) else {
                let levels = NoiseSuppressor.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw FieldProblem(message: "denoise: \(text) is not one of \(levels)")
            }
            denoise = level
        }
        if let text = fields["transcribe"] {
            guard let flag = Bool(text.lowercased()) else {
                throw FieldProblem(message: "transcribe: \(text) is not true or false")
            }
            transcribe = flag
        }
    }

    /// The clean-up asked for, or the one `use` calls for on this machine.
    func enhancement(for use: Enhancement.Use) -> Enhancement {
        denoise.map { Enhancement(denoise: $0) } ?? Enhancement.recommendedHere(for: use).enhancement
    }

    /// The recipe that processes `legs` (in leg order) into `folder` (paths as the storage names them), cleaned
    /// up as asked or as `use` calls for.
    func recipe(legs: [String], folder: String, use: Enhancement.Use) -> CallRecipe {
        CallRecipe(
            legs: legs.enumerated().map { index, path in
                CallRecipe.Leg(
                    path: path, offset: offsets[index + 1] ?? 0,
                    role: index < roles.count && !roles[index].isEmpty ? roles[index] : nil)
            },
            layout: layout, outputDirectory: folder,
            tags: Tags(callID: callID, legRoles: roles.isEmpty ? nil : roles),
            enhancement: enhancement(for: use),
            transcription: transcribe ? TranscriptionRequest() : nil)
    }
}

/// A field of a request (an ingest form's part, a list's query parameter) that is present but unusable, named with
/// what is wrong with it.
public struct FieldProblem: Error, Equatable {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    /// `value` when it is plain text fit to store and to match on: at most `limit` characters and no control
    /// character (a newline, an escape); otherwise the problem, naming `field`.
    package static func plainText(_ value: String, field: String, limit: Int = 256) throws(FieldProblem) -> String {
        guard value.count <= limit else { throw FieldProblem(message: "\(field) is longer than \(limit) characters") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FieldProblem(message: "\(field) holds a control character")
        }
        return value
    }
}
