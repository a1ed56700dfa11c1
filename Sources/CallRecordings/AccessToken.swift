import Crypto
import Foundation

/// What a scoped access token lets its holder do with the recordings in its scope.
public enum AccessPermission: String, Codable, Sendable, CaseIterable {
    /// List, search, `GET` a recording, its files, transcript and player page.
    case read
    /// `DELETE` a recording, or a conversation named in the scope.
    case delete
    /// Ask for a recording's transcript.
    case transcribe
}

/// A scoped access token's claims: which recordings it sees, what it may do with them, and until when.
///
/// The platform mints one per user session (`POST /v1/access-tokens` with its API key) and hands it to a user's
/// browser or app; the service enforces it on every request with no database round trip, since the token carries
/// its claims and the service's signature (`AccessTokenSigner`).
public struct AccessToken: Sendable, Equatable {
    public var scope: RecordingScope
    public var permissions: Set<AccessPermission>
    /// When the token stops working, to the second.
    public var expiresAt: Date

    /// The longest a token may live: one day.
    public static let maximumLifetime = 86_400
    /// The most contact and conversation ids one token may name together (a token travels in a header).
    public static let maximumScopeIDs = 500

    public init(scope: RecordingScope, permissions: Set<AccessPermission>, expiresAt: Date) {
        self.scope = scope
        self.permissions = permissions
        self.expiresAt = Date(timeIntervalSince1970: expiresAt.timeIntervalSince1970.rounded(.down))
    }

    public func allows(_ permission: AccessPermission) -> Bool { permissions.contains(permission) }
}

/// Issues and verifies access tokens with a key derived from the service's signing key, so every API node on the
/// same database (which keeps that key) accepts every other node's tokens.
///
/// A token is `cat1.PAYLOAD.SIGNATURE`: `PAYLOAD` is the base64url (no padding) of a JSON object
/// `{"contact_ids": [...], "conversation_ids": [...], "expires": UNIX_SECONDS, "permissions": [...]}`, and
/// `SIGNATURE` the base64url of HMAC-SHA256 over `cat1.PAYLOAD` under the token key, which is
/// HMAC-SHA256(signing key, `callaudio access-token v1`). Media links are signed under the signing key itself,
/// over text of another shape, so neither kind of signature can pass for the other.
public struct AccessTokenSigner: Sendable {
    /// The token key's bytes (`SymmetricKey` itself is not `Sendable`).
    private let keyBytes: Data

    /// The format's name and version, the first part of every token.
    public static let prefix = "cat1"

    /// - Parameter signingKey: the service's signing key (the media signer's), from which the token key is derived.
    public init(signingKey: SymmetricKey) {
        let derived = HMAC<SHA256>.authenticationCode(for: Data("callaudio access-token v1".utf8), using: signingKey)
        keyBytes = Data(derived)
    }

    /// True when `text` has a token's shape (as opposed to an API key); says nothing of whether it is valid.
    public static func isToken(_ text: String) -> Bool { text.hasPrefix(prefix + ".") }

    /// The signed token carrying `token`'s claims.
    public func sign(_ token: AccessToken) -> String {
        let claims = Claims(
            contactIDs: token.scope.contactIDs, conversationIDs: token.scope.conversationIDs,
            permissions: AccessPermission.allCases.filter { token.permissions.contains($0) },
            expires: Int64(token.expiresAt.timeIntervalSince1970))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding strings, arrays and an integer cannot fail.
        let payload = ((try? encoder.encode(claims)) ?? Data()).base64URLEncoded()
        let signed = "\(Self.prefix).\(payload)"
        return "\(signed).\(Data(mac(signed)).base64URLEncoded())"
    }

    /// The claims of `text` when it is a token this key signed and it has not expired at `now`; nil for anything
    /// forged, altered, malformed or expired, all alike.
    public func verify(_ text: String, now: Date = Date()) -> AccessToken? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.prefix, let signature = Data(base64URL: String(parts[2])),
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: SymmetricKey(data: keyBytes)),
            let payload = Data(base64URL: String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload),
            Double(claims.expires) >= now.timeIntervalSince1970
        else { return nil }
        return AccessToken(
            scope: RecordingScope(contactIDs: claims.contactIDs, conversationIDs: claims.conversationIDs),
            permissions: Set(claims.permissions), expiresAt: Date(timeIntervalSince1970: Double(claims.expires)))
    }

    private func mac(_ text: String) -> HMAC<SHA256>.MAC {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: keyBytes))
    }

    /// The payload's JSON.
    private struct Claims: Codable {
        var contactIDs: [String]
        var conversationIDs: [String]
        var permissions: [AccessPermission]
        var expires: Int64

        enum CodingKeys: String, CodingKey {
            case permissions, expires
            case contactIDs = "contact_ids"
            case conversationIDs = "conversation_ids"
        }
    }
}
