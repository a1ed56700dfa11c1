import CallRecordings
import CallWebhooks
import Foundation
import HTTPTypes
import Hummingbird

/// Who may do what: the platform with its bearer key may do anything; a browser holding a signed media URL
/// may read the one variant of the one recording it was issued for, until it expires. Where the webhook secret
/// is configured, the platform may also sign an ingest request the Standard Webhooks way instead of sending a key.
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
    func finishSignature(_ verifier: WebhookVerifier) throws {
        do {
            try verifier.finish()
        } catch let error as WebhookError {
            throw HTTPError(.unauthorized, message: error.message)
        }
        guard replays.admit(verifier.id, now: Date()) else {
            throw HTTPError(.unauthorized, message: "webhook-id: this message was received before")
        }
    }

    private let webhookID = HTTPField.Name("webhook-id")!
    private let webhookTimestamp = HTTPField.Name("webhook-timestamp")!
    private let webhookSignature = HTTPField.Name("webhook-signature")!

    /// Throws `401` unless the request carries a known API key. Called before anything is looked up, so a
    /// caller without a key learns nothing about which recordings exist.
    func requireKey(_ request: Request) throws {
        guard keys.accepts(authorization: request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
    }

    /// The recording `id` whose `variant` the request may read: with an API key, the recording or `404`; with a
    /// signed link, the recording only when the link was issued for exactly it and that variant and has not
    /// expired, and otherwise the same `403` whether the recording exists or not, so that nobody can use a link
    /// to test which recordings exist; `401` with neither key nor link.
    func recording(_ id: String, variant: String, for request: Request, in service: RecordingService) async throws
        -> (RecordingMetadata, URL)
    {
        if keys.accepts(authorization: request.headers[.authorization]) {
            return try await mapFailures { try service.metadata(of: id) }
        }
        let query = request.uri.queryParameters
        guard let token = query.get("token"), let expires = query.get("expires") else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
        guard let found = try? service.metadata(of: id),
            signer.accepts(
                token: token, expires: expires, recording: found.0.id, nonce: found.0.mediaNonce, variant: variant)
        else { throw HTTPError(.forbidden, message: "the link has expired or is not valid for this file") }
        return found
    }
}
