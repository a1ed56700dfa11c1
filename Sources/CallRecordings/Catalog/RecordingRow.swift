import Foundation

/// A recording flattened into the column values both stores keep, times as seconds since 1970. Each store maps
/// its own row type to and from this one.
struct RecordingRow: Sendable {
    static let columns = [
        "id", "kind", "call_id", "direction", "from_number", "to_number", "from_digits", "to_digits", "started_at",
        "call_status", "handled_by", "handled_by_name", "contact_id", "conversation_id", "status", "transcript",
        "email", "job_id", "transcript_job_id", "created_at", "deleted_at", "sort_at",
    ]
    static let columnList = columns.joined(separator: ", ")
    /// The columns that hold times (seconds since 1970) and job ids; the others hold text.
    static let realColumns: Set = ["started_at", "created_at", "deleted_at", "sort_at"]
    static let integerColumns: Set = ["job_id", "transcript_job_id"]

    var values: [CatalogValue]

    init(values: [CatalogValue]) {
        self.values = values
    }

    init(_ recording: Recording) {
        let details = recording.details
        values = [
            .text(recording.id), .text(recording.kind.rawValue), .text(recording.callID),
            .text(details.direction?.rawValue), .text(details.from), .text(details.to),
            .text(details.from.flatMap(PhoneNumber.digits)), .text(details.to.flatMap(PhoneNumber.digits)),
            .real(details.startedAt?.timeIntervalSince1970), .text(details.callStatus?.rawValue),
            .text(details.handledBy), .text(details.handledByName), .text(details.contactID),
            .text(details.conversationID), .text(recording.status.rawValue), .text(recording.transcript.rawValue),
            .text(recording.email?.rawValue), .integer(recording.jobID), .integer(recording.transcriptJobID),
            .real(recording.createdAt.timeIntervalSince1970), .real(recording.deletedAt?.timeIntervalSince1970),
            .real(recording.sortTime.timeIntervalSince1970),
        ]
    }

    /// The recording this row holds; a value no build wrote (an unknown status) is an error naming the row.
    func makeRecording() throws -> Recording {
        let columns = Dictionary(uniqueKeysWithValues: zip(Self.columns, values))
        func text(_ name: String) -> String? { columns[name]?.text }
        func time(_ name: String) -> Date? { columns[name]?.real.map(Date.init(timeIntervalSince1970:)) }
        func choice<T: RawRepresentable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
            guard let value = text(name) else { return nil }
            guard let parsed = T(rawValue: value) else {
                throw CatalogError("recording \(values.first?.text ?? "?"): \(name) \(value) is unknown")
            }
            return parsed
        }
        guard let id = text("id"), let createdAt = time("created_at") else {
            throw CatalogError("a recordings row without an id or a creation time")
        }
        let details = CallDetails(
            direction: try choice("direction", CallDetails.Direction.self), from: text("from_number"),
            to: text("to_number"), startedAt: time("started_at"),
            callStatus: try choice("call_status", CallDetails.CallStatus.self), handledBy: text("handled_by"),
            handledByName: text("handled_by_name"), contactID: text("contact_id"),
            conversationID: text("conversation_id"))
        return Recording(
            id: id, kind: try choice("kind", RecordingMetadata.Kind.self) ?? .call, callID: text("call_id"),
            details: details, status: try choice("status", Recording.Status.self) ?? .queued,
            transcript: try choice("transcript", Recording.TranscriptStatus.self) ?? .none,
            email: try choice("email", Recording.EmailStatus.self), jobID: columns["job_id"]?.integer,
            transcriptJobID: columns["transcript_job_id"]?.integer, createdAt: createdAt,
            deletedAt: time("deleted_at"))
    }
}

/// One column value, as both databases bind and return it.
enum CatalogValue: Sendable, Equatable {
    case null
    case text(String)
    case real(Double)
    case integer(Int64)

    static func text(_ value: String?) -> CatalogValue { value.map { .text($0) } ?? .null }
    static func real(_ value: Double?) -> CatalogValue { value.map { .real($0) } ?? .null }
    static func integer(_ value: Int64?) -> CatalogValue { value.map { .integer($0) } ?? .null }

    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    var real: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(exactly: value)
        default: nil
        }
    }
}

/// A failure of the catalog's store, naming what it could not do.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
