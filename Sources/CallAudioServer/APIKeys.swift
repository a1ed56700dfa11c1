import CallRecordings
import Crypto
import Foundation

/// The platform's bearer tokens, checked in constant time.
///
/// Keys are kept only as SHA-256 digests, and a presented key is compared with every digest without stopping
/// early, so neither the time taken nor a memory dump tells an attacker how much of a key was right.
public struct APIKeys: Sendable {
    private let digests: [[UInt8]]

    public init(_ keys: [String]) {
        digests = keys.map { Array(SHA256.hash(data: Data($0.utf8))) }
    }

    /// Keys from a file (one per line; blank lines and `#` comments skipped) and from a comma-separated list
    /// (the `CALLAUDIO_API_KEYS` environment variable).
    public init(fileContents: String?, environment: String?) {
        let fromFile = (fileContents ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let fromEnvironment = (environment ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        self.init(fromFile + fromEnvironment)
    }

    public var isEmpty: Bool { digests.isEmpty }

    /// True when `authorization` (the `Authorization` header) is `Bearer KEY` with a known key.
    public func accepts(authorization: String?) -> Bool {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return false }
        let presented = SHA256.hash(data: Data(authorization.dropFirst("bearer ".count).utf8))
        var matched = false
        for digest in digests {
            var difference: UInt8 = 0
            for (a, b) in zip(digest, presented) { difference |= a ^ b }
            matched = matched || difference == 0
        }
        return matched
    }
}
