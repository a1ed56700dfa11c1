import Foundation
import Hummingbird

/// Who may do what: the platform with its bearer key may do anything; a browser holding a signed media URL
/// may read the one variant of the one recording it was issued for, until it expires.
struct Access: Sendable {
    let keys: APIKeys
    let signer: MediaSigner

    /// Throws `401` unless the request carries a known API key. Called before anything is looked up, so a
    /// caller without a key learns nothing about which recordings exist.
    func requireKey(_ request: Request) throws {
        guard keys.accepts(authorization: request.headers[.authorization]) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
    }

    /// Throws `401` when the request carries neither an API key nor a media token, before anything is looked up.
    func requireCredentials(_ request: Request) throws {
        if request.uri.queryParameters.get("token") == nil { try requireKey(request) }
    }

    /// Lets the request read `variant` of `recording` with an API key, or with a signed URL for exactly that
    /// recording and variant (`403` when expired, forged or issued for something else; `401` with neither).
    func requireKeyOrToken(_ request: Request, recording: RecordingMetadata, variant: String) throws {
        if keys.accepts(authorization: request.headers[.authorization]) { return }
        let query = request.uri.queryParameters
        guard let token = query.get("token"), let expires = query.get("expires") else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"], message: "missing or unknown API key")
        }
        guard
            signer.accepts(
                token: token, expires: expires, recording: recording.id, nonce: recording.mediaNonce, variant: variant)
        else { throw HTTPError(.forbidden, message: "the link has expired or is not valid for this file") }
    }
}
