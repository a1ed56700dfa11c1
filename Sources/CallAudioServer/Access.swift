import CallRecordings
import CallWebhooks
import Foundation
import HTTPTypes
import Hummingbird

/// Who may do what: the platform with its bearer key may do anything; the holder of a scoped access token
/// (`Authorization: Bearer cat1....`) may do what the token grants with the recordings in its scope; a browser
/// holding a signed media URL may read the one variant of the one recording it was issued for, until it expires.
/// Where the webhook secret is configured, the platform may also sign an ingest request the Standard Webhooks way
/// instead of sending a key.
struct Access: Sendable {
    let keys: APIKeys
    let signer: MediaSigner
    /// Verifies signed requests; nil when no webhook secret is configured.
    let requestSigner: WebhookSigner?
    /// The message ids of signed requests already accepted.
    let replays: any ReplayGuard

    /// Lets the request in with an API key (nil), or with Standard Webhooks headers whose timestamp is fresh and
    /// whose id is new (the verifier, to be fed the body and finished before anything is kept); `401` otherwise.
    func requireKeyOrSignature(_ request: Request) throws -> WebhookVerifier? {
        guard let requestSigner, request.headers[webhookSignature] != nil else {
            try requireKey(request)
            return nil
        }
        let verifier: WebhookVerifier
        do {
            verifier = try requestSigner.verifier(
                id: request.headers[webhookID], timestamp: request.headers[webhookTimestamp],
                signatures: request.headers[webhookSignature])
        } catch let error as WebhookError {
            throw HTTPError(.unauthorized, message: error.message)
        }
        return verifier
    }

    /// Throws `401` unless the body matched a signature and the message id was not used before.
    func finishSignature(_ verifier: WebhookVerifier) async throws {
        do {
            try verifier.finish()
        } catch let error as WebhookError {
            throw HTTPError(.unauthorized, message: error.message)
        }
        guard try await replays.admit(verifier.id, now: Date()) else {
            throw HTTPError(.unauthorized, message: "webhook-id: this message was received before")
        }
    }

    private let webhookID = HTTPField.Name("webhook-id")!
    private let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    private let webhookSignature = HTTPField.Name("webhook-signature")!

    /// Who a request comes from: the platform with an API key, a holder of a scoped access token, or (nil) neither,
    /// when the request carries no bearer credential the service knows; `401` for a token that is forged, altered,
    /// malformed or expired, with the same words for each.
    func caller(_ request: Request) throws -> Caller? {
        let authorization = request.headers[.authorization]
        if keys.accepts(authorization: authorization) { return .platform }
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        let presented = String(authorization.dropFirst("bearer ".count))
        guard AccessTokenSigner.isToken(presented) else { return nil }
        guard let token = signer.accessTokens.verify(presented, now: Date()) else {
            throw HTTPError(
                .unauthorized, headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""],
                message: "the access token is not valid")
        }
        return .scoped(token)
    }

    /// Throws `401` unless the request carries a known API key, and `403` for a scoped access token, which may
    /// neither ingest nor mint tokens. Called before anything is looked up, so a caller without a key learns
    /// nothing about which recordings exist.
    func requireKey(_ request: Request) throws {
        switch try requireCaller(request) {
        case .platform: return
        case .scoped: throw HTTPError(.forbidden, message: "an access token cannot do this: it takes an API key")
        }
    }

    /// What the caller may see when it needs `permission`: everything with an API key; a scoped token's scope
    /// when the token grants `permission` (`403` otherwise); `401` with neither.
    func grant(_ request: Request, needs permission: AccessPermission) throws -> Grant {
        try grant(for: try requireCaller(request), needs: permission)
    }

    private func grant(for caller: Caller, needs permission: AccessPermission) throws -> Grant {
        switch caller {
        case .platform:
            return Grant(scope: nil, expiresAt: nil, permissions: Set(AccessPermission.allCases))
        case .scoped(let token):
            guard token.allows(permission) else {
                throw HTTPError(.forbidden, message: "the access token does not grant \(permission.rawValue)")
            }
            return Grant(scope: token.scope, expiresAt: token.expiresAt, permissions: token.permissions)
        }
    }

    private func requireCaller(_ request: Request) throws -> Caller {
        guard let caller = try caller(request) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
        return caller
    }

    /// The recording `id` whose `variant` the request may read (or, `needs` other than `read`, act on), until when
    /// links made for the caller may live, and whether it may ask for a transcript. With an API key, the recording
    /// or `404`; with a scoped token that grants `needs`, the same, a recording outside its scope being one that
    /// does not exist (`403` when the token does not grant it); with a signed link, the recording only when the
    /// link was issued for exactly it and that variant and has not expired, and otherwise the same `403` whether
    /// the recording exists or not, so that nobody can use a link to test which recordings exist; `401` with none
    /// of these. A link for the player's variant may be its read-only one, whose page cannot ask for a transcript.
    func recording(
        _ id: String, variant: String, for request: Request, in service: RecordingService,
        needs permission: AccessPermission = .read
    ) async throws -> Opened {
        if let caller = try caller(request) {
            let grant = try grant(for: caller, needs: permission)
            let metadata = try await mapFailures {
                try await grant.requireVisible(id, in: service)
                return try await service.metadata(of: id)
            }
            return Opened(
                metadata: metadata, linksExpire: grant.expiresAt,
                mayTranscribe: grant.permissions.contains(.transcribe))
        }
        let query = request.uri.queryParameters
        guard let token = query.get("token"), let expires = query.get("expires") else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
        let variants = variant == MediaSigner.player ? [variant, MediaSigner.readOnlyPlayer] : [variant]
        guard let metadata = try? await service.metadata(of: id),
            let signed = variants.first(where: {
                signer.accepts(
                    token: token, expires: expires, recording: metadata.id, nonce: metadata.mediaNonce, variant: $0)
            }),
            let expiry = Int(expires)
        else { throw HTTPError(.forbidden, message: Self.invalidLink) }
        return Opened(
            metadata: metadata, linksExpire: Date(timeIntervalSince1970: Double(expiry)),
            mayTranscribe: signed != MediaSigner.readOnlyPlayer)
    }

    /// What a refused signed link is told, whether it expired, was altered or names no recording.
    static let invalidLink = "the link has expired or is not valid for this file"
}

/// Who a request comes from.
enum Caller {
    /// The platform, with an API key: every recording, every action.
    case platform
    /// A holder of a verified, unexpired scoped access token.
    case scoped(AccessToken)
}

/// A recording a request may open, and what links made for it may do.
struct Opened {
    var metadata: RecordingMetadata
    /// Until when links made for the caller may live (a signed link's or a token's expiry); nil: no bound.
    var linksExpire: Date?
    /// Whether the caller may ask for the recording's transcript (and so its player page may offer to).
    var mayTranscribe: Bool
}

/// What a caller may see: every recording (`scope` nil) or a scoped token's, until when links made for it may
/// live, and what it may do.
struct Grant: Sendable {
    var scope: RecordingScope?
    /// The token's expiry; nil for an API key.
    var expiresAt: Date?
    var permissions: Set<AccessPermission>

    /// When links made for the caller expire: `lifetime` from `now`, never past the token's own expiry.
    func linksExpire(lifetime: TimeInterval, now: Date) -> Date {
        min(now + lifetime, expiresAt ?? .distantFuture)
    }

    /// Throws `RecordingService.Failure.notFound` when recording `id` is outside the scope.
    func requireVisible(_ id: String, in service: RecordingService) async throws {
        if let scope { try await service.requireVisible(id, in: scope) }
    }
}
