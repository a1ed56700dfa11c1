import CallRecordings
import Foundation
import Hummingbird

/// `POST /v1/access-tokens`: the platform (with its API key) mints a scoped access token for one of its users;
/// `201` with the token and when it expires. The token is signed, not stored: any API node on the same database
/// (which keeps the signing key) verifies it.
struct AccessTokenRoutes: Sendable {
    let access: Access
    let signer: AccessTokenSigner

    /// The `201` body.
    struct Issued: Encodable {
        var token: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case token
            case expiresAt = "expires_at"
        }
    }

    func add(to router: Router<some RequestContext>) {
        router.post("/v1/access-tokens") { request, _ -> Response in
            try access.requireKey(request)
            let body = try await request.body.collect(upTo: 1 << 20)
            let token = try FieldProblem.requireValid { () throws(FieldProblem) in
                try AccessTokenRequest(json: Data(body.readableBytesView), now: Date()).token
            }
            var response = try JSON.response(
                Issued(token: signer.sign(token), expiresAt: token.expiresAt), status: .created)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
