import Foundation

/// `POST /v1/access-tokens`'s JSON body, read strictly: `contact_ids` and `conversation_ids` (arrays of ids, not
/// both empty), `permissions` (at least one of `read`, `delete`, `transcribe`) and `expires_in` (whole seconds,
/// 1 to 86,400). Anything else is refused by name.
public struct AccessTokenRequest: Sendable, Equatable {
    /// The token to issue, expiring `expires_in` seconds after the request was read.
    public var token: AccessToken

    static let fieldNames = ["contact_ids", "conversation_ids", "expires_in", "permissions"]

    /// Reads the request from its body at `now`.
    package init(json: Data, now: Date = Date()) throws(FieldProblem) {
        let fields: [String: FieldValue]
        do {
            fields = try JSONDecoder().decode([String: FieldValue].self, from: json)
        } catch {
            throw FieldProblem(message: "the body is not a JSON object (\(Self.fieldNames.joined(separator: ", ")))")
        }
        if let unknown = fields.keys.filter({ !Self.fieldNames.contains($0) }).sorted().first {
            throw FieldProblem(
                message: "\(unknown): no such field (the fields are \(Self.fieldNames.joined(separator: ", ")))")
        }
        func ids(_ name: String) throws(FieldProblem) -> [String] {
            guard let value = fields[name] else { return [] }
            guard case .strings(let ids) = value else {
                throw FieldProblem(message: "\(name): give an array of ids")
            }
            for id in ids {
                guard !id.isEmpty else { throw FieldProblem(message: "\(name): an id is empty") }
                _ = try FieldProblem.plainText(id, field: name)
            }
            return ids
        }
        let scope = RecordingScope(contactIDs: try ids("contact_ids"), conversationIDs: try ids("conversation_ids"))
        guard !scope.isEmpty else {
            throw FieldProblem(message: "contact_ids, conversation_ids: name at least one contact or conversation")
        }
        let count = scope.contactIDs.count + scope.conversationIDs.count
        guard count <= AccessToken.maximumScopeIDs else {
            throw FieldProblem(
                message:
                    "contact_ids, conversation_ids: \(count) ids; a token names at most \(AccessToken.maximumScopeIDs)")
        }
        let allowed = AccessPermission.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .strings(let names) = fields["permissions"], !names.isEmpty else {
            throw FieldProblem(message: "permissions: give an array of at least one of \(allowed)")
        }
        var permissions: Set<AccessPermission> = []
        for name in names {
            guard let permission = AccessPermission(rawValue: name) else {
                throw FieldProblem(message: "permissions: \(name) is not one of \(allowed)")
            }
            permissions.insert(permission)
        }
        let limit = AccessToken.maximumLifetime
        guard case .integer(let seconds) = fields["expires_in"], (1...Int64(limit)).contains(seconds) else {
            throw FieldProblem(message: "expires_in: give whole seconds from 1 to \(limit) (one day)")
        }
        token = AccessToken(
            scope: scope, permissions: permissions,
            expiresAt: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down) + Double(seconds)))
    }

    /// A field's value as far as the request cares: an array of strings, a whole number, or something else.
    private enum FieldValue: Decodable {
        case strings([String])
        case integer(Int64)
        case other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let strings = try? container.decode([String].self) {
                self = .strings(strings)
            } else if (try? container.decode(Bool.self)) == nil, let number = try? container.decode(Int64.self) {
                self = .integer(number)
            } else {
                self = .other
            }
        }
    }
}
