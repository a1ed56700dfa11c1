import Crypto
import Foundation

/// Signs and checks the expiring media URLs handed to browsers, which cannot send an `Authorization` header.
///
/// A token is the base64url HMAC-SHA256 of the recording id, the variant (the route's file name, such as
/// `audio.mp3`), the expiry (Unix seconds) and the recording's own random nonce. The nonce lives in the
/// recording's folder, so deleting the recording revokes every URL ever issued for it.
public struct MediaSigner: Sendable {
    /// The key's bytes (`SymmetricKey` itself is not `Sendable`).
    private let keyBytes: Data
    /// How long an issued URL stays usable when the request does not say (`serve --link-ttl`).
    public let lifetime: TimeInterval
    /// Scoped access tokens, under a key derived from this signer's.
    public let accessTokens: AccessTokenSigner

    /// The player page's variant: its page may ask for a transcript. A player link made for a caller that may not
    /// (an access token without `transcribe`) is signed for `readOnlyPlayer` instead, and its page offers none.
    public static let player = "player"
    public static let readOnlyPlayer = "player-read"

    /// The shortest and the longest lifetime a link may be given (`?link_ttl=`, `--link-ttl`): a minute, a week.
    public static let lifetimes: ClosedRange<Int> = 60...(7 * 86_400)

    public init(key: SymmetricKey, lifetime: TimeInterval = 6 * 3600) {
        self.keyBytes = key.withUnsafeBytes { Data($0) }
        self.lifetime = lifetime
        self.accessTokens = AccessTokenSigner(signingKey: key)
    }

    /// The query string (`expires=...&token=...`) that opens `variant` of a recording until now + lifetime.
    public func query(recording: String, nonce: String, variant: String, now: Date = Date()) -> String {
        query(recording: recording, nonce: nonce, variant: variant, expires: now + lifetime)
    }

    /// The query string that opens `variant` of a recording until `expires` (to the second, rounded down).
    public func query(recording: String, nonce: String, variant: String, expires: Date) -> String {
        let expires = Int(expires.timeIntervalSince1970)
        return
            "expires=\(expires)&token=\(token(recording: recording, nonce: nonce, variant: variant, expires: expires))"
    }

    /// True when `token` was issued for this recording and variant and `expires` has not passed.
    public func accepts(
        token: String, expires: String, recording: String, nonce: String, variant: String, now: Date = Date()
    ) -> Bool {
        guard let expiry = Int(expires), Double(expiry) >= now.timeIntervalSince1970,
            let mac = Data(base64URL: token)
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: message(recording: recording, nonce: nonce, variant: variant, expires: expiry),
            using: SymmetricKey(data: keyBytes))
    }

    /// The id of the recording of the platform's call (or voicemail) `key`, keyed with the service's secret: a
    /// repeat submission names the same recording, and nobody without the secret can compute the id of a call
    /// from its call id (PBX call ids are often sequential) to test whether it was recorded.
    public func recordingID(forKey key: String, kind: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("recording-id\n\(kind):\(key)".utf8), using: SymmetricKey(data: keyBytes))
        return Data(mac).prefix(12).map { String(format: "%02x", $0) }.joined()
    }

    private func token(recording: String, nonce: String, variant: String, expires: Int) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: message(recording: recording, nonce: nonce, variant: variant, expires: expires),
            using: SymmetricKey(data: keyBytes))
        return Data(mac).base64URLEncoded()
    }

    private func message(recording: String, nonce: String, variant: String, expires: Int) -> Data {
        Data("\(recording)\n\(variant)\n\(expires)\n\(nonce)".utf8)
    }
}

extension Data {
    /// Base64 with the URL alphabet and no padding (RFC 4648 section 5).
    func base64URLEncoded() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URL: String) {
        var text = base64URL.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        self.init(base64Encoded: text)
    }
}
