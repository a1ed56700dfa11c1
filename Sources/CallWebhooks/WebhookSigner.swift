import Crypto
import Foundation
import Synchronization

/// Signs and verifies webhook messages the Standard Webhooks way (standardwebhooks.com): the signature is
/// `v1,` and the base64 HMAC-SHA256, under the shared secret, of `webhook-id.webhook-timestamp.body`.
///
/// The same secret (`CALLAUDIO_WEBHOOK_SECRET`) signs the events the service sends and verifies the requests
/// the platform signs. Its value never appears in a description, log line or error.
public struct WebhookSigner: Sendable, CustomStringConvertible {
    private let key: SymmetricKey

    /// How far a signed request's timestamp may lie from now, either way (the spec's five minutes).
    public static let tolerance: TimeInterval = 300

    /// - Parameter secret: `whsec_` and base64 (the spec's form), or any other non-empty string, used as bytes.
    /// - Throws: `WebhookError.misconfigured` for an empty secret or a `whsec_` one that is not base64.
    public init(secret: String) throws {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw WebhookError(.misconfigured, "the webhook secret is empty") }
        if trimmed.hasPrefix("whsec_") {
            guard let bytes = Data(base64Encoded: String(trimmed.dropFirst(6))), !bytes.isEmpty else {
                throw WebhookError(.misconfigured, "the webhook secret starts with whsec_ but is not base64")
            }
            key = SymmetricKey(data: bytes)
        } else {
            key = SymmetricKey(data: Data(trimmed.utf8))
        }
    }

    /// The signer for `CALLAUDIO_WEBHOOK_SECRET`, or nil when it is unset.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> WebhookSigner?
    {
        try environment["CALLAUDIO_WEBHOOK_SECRET"].map { try WebhookSigner(secret: $0) }
    }

    public var description: String { "WebhookSigner(secret: redacted)" }

    /// The `webhook-signature` value for a message: `v1,` and the base64 MAC.
    public func signature(id: String, timestamp: Int, body: Data) -> String {
        "v1,"
            + Data(HMAC<SHA256>.authenticationCode(for: Self.signedContent(id, timestamp, body), using: key))
            .base64EncodedString()
    }

    /// The three headers of a message sent at `now`.
    public func headers(id: String, body: Data, now: Date = Date()) -> [(name: String, value: String)] {
        let timestamp = Int(now.timeIntervalSince1970)
        return [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }

    /// Checks a received message: its timestamp within `tolerance` of `now`, and one of the space-separated
    /// `v1,` signatures in `signatures` valid for it (compared in constant time).
    /// - Throws: `WebhookError.unauthenticated` naming the header that fails.
    public func verify(id: String?, timestamp: String?, signatures: String?, body: Data, now: Date = Date()) throws {
        let verifier = try verifier(id: id, timestamp: timestamp, signatures: signatures, now: now)
        verifier.update(body)
        try verifier.finish()
    }

    /// Checks a message's headers now and its body as it streams in: `finish()` tells whether a signature holds.
    /// - Throws: `WebhookError.unauthenticated` for a missing id, a missing or stale timestamp, or no `v1,`
    ///   signature, before any of the body is read.
    public func verifier(id: String?, timestamp: String?, signatures: String?, now: Date = Date()) throws
        -> WebhookVerifier
    {
        guard let id, !id.isEmpty else { throw WebhookError(.unauthenticated, "webhook-id: missing") }
        guard let seconds = timestamp.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw WebhookError(.unauthenticated, "webhook-timestamp: missing or not whole seconds")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= Self.tolerance else {
            throw WebhookError(.unauthenticated, "webhook-timestamp: more than 5 minutes from now")
        }
        let offered = (signatures ?? "").split(separator: " ").compactMap { candidate -> Data? in
            guard candidate.hasPrefix("v1,") else { return nil }
            return Data(base64Encoded: String(candidate.dropFirst(3)))
        }
        guard !offered.isEmpty else { throw WebhookError(.unauthenticated, "webhook-signature: no v1 signature") }
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Data("\(id).\(seconds).".utf8))
        return WebhookVerifier(id: id, mac: mac, offered: offered)
    }

    private static func signedContent(_ id: String, _ timestamp: Int, _ body: Data) -> Data {
        Data("\(id).\(timestamp).".utf8) + body
    }
}

/// A received message's signature, checked over its body as it arrives (from whichever task reads the body).
public final class WebhookVerifier: Sendable {
    /// The message's `webhook-id`.
    public let id: String
    private let mac: Mutex<HMAC<SHA256>>
    private let offered: [Data]

    init(id: String, mac: HMAC<SHA256>, offered: [Data]) {
        self.id = id
        self.mac = Mutex(mac)
        self.offered = offered
    }

    /// Feeds the next part of the body.
    public func update(_ bytes: some DataProtocol) { mac.withLock { $0.update(data: bytes) } }

    /// - Throws: `WebhookError.unauthenticated` unless one offered signature matches the body (constant time).
    public func finish() throws {
        let code = mac.withLock { $0.finalize() }
        guard offered.contains(where: { code == $0 }) else {
            throw WebhookError(.unauthenticated, "webhook-signature: no valid v1 signature")
        }
    }
}
