import CallPrompts
import Foundation

/// The fields that name a prompt, from an upload's form or a recording link's JSON: `kind` (`greeting`, `drop`,
/// `disclosure`), `owner` (the platform's user id) and `name` (the user's label), each checked with a one-line
/// reason that names the field.
public struct PromptFields: Sendable, Equatable {
    public var kind: PromptKind
    public var owner: String
    public var name: String

    /// The names an upload may carry besides its `file`.
    public static let names: Set<String> = ["kind", "owner", "name"]

    public init(kind: PromptKind, owner: String, name: String) {
        self.kind = kind
        self.owner = owner
        self.name = name
    }

    public init(_ fields: [String: String]) throws(FieldProblem) {
        guard let kindText = fields["kind"] else { throw FieldProblem(message: "kind: missing (\(Self.kinds))") }
        guard let kind = PromptKind(rawValue: kindText) else {
            throw FieldProblem(message: "kind: \(String(reflecting: kindText)) is not one of \(Self.kinds)")
        }
        self.kind = kind
        owner = try Self.required("owner", in: fields, limit: 128)
        name = try Self.required("name", in: fields, limit: 200)
    }

    private static var kinds: String { PromptKind.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func required(_ field: String, in fields: [String: String], limit: Int) throws(FieldProblem)
        -> String
    {
        let value = fields[field]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !value.isEmpty else { throw FieldProblem(message: "\(field): missing") }
        return try FieldProblem.plainText(value, field: field, limit: limit)
    }
}
