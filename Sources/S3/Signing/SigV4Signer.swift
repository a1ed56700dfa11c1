import Crypto
import Foundation

/// AWS Signature Version 4 for S3 (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html):
/// the `Authorization` header of a request, or a presigned URL, from the credentials, the region and the time.
///
/// S3's variant: each path segment is URI-encoded once (not twice, as other services do), and the payload's
/// SHA-256 travels in `x-amz-content-sha256` (or `UNSIGNED-PAYLOAD`). The signing key is derived per day.
public struct SigV4Signer: Sendable {
    public var credentials: S3Credentials
    public var region: String
    public var service: String

    /// The payload hash of a request whose body is not signed (over TLS, or a presigned URL).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of nothing: the payload hash of a request without a body.
    public static let emptyPayload = hexSHA256(Data())

    public init(credentials: S3Credentials, region: String = "us-east-1", service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request so that it is signed: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` with a session token, and `Authorization`.
    /// - Parameters:
    ///   - headers: the request's own headers that are to be signed (`host` is added from `url`).
    ///   - payloadHash: the body's hex SHA-256, `emptyPayload`, or `unsignedPayload`.
    public func signatureHeaders(
        method: String, url: URL, headers: [(name: String, value: String)] = [], payloadHash: String,
        date: Date = Date()
    ) -> [(name: String, value: String)] {
        let stamp = Stamp(date)
        var added = [(name: "x-amz-date", value: stamp.time), (name: "x-amz-content-sha256", value: payloadHash)]
        if let token = credentials.sessionToken { added.append((name: "x-amz-security-token", value: token)) }
        let signed = CanonicalHeaders([(name: "host", value: Self.host(of: url))] + headers + added)
        let request = [
            method, Self.canonicalPath(url), Self.canonicalQuery(url), signed.text, signed.names, payloadHash,
        ].joined(separator: "\n")
        let signature = sign(request, at: stamp)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope(stamp)), "
            + "SignedHeaders=\(signed.names), Signature=\(signature)"
        return added + [(name: "Authorization", value: authorization)]
    }

    /// `url` presigned for `method` (query authentication, only `host` signed, the payload unsigned), valid for
    /// `expires` seconds from `date` (S3 allows at most 7 days).
    public func presign(method: String, url: URL, expires: Int, date: Date = Date()) -> URL {
        let stamp = Stamp(date)
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false) ?? URLComponents()
        var query = components.queryItems ?? []
        query += [
            URLQueryItem(name: "X-Amz-Algorithm", value: "AWS4-HMAC-SHA256"),
            URLQueryItem(name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(scope(stamp))"),
            URLQueryItem(name: "X-Amz-Date", value: stamp.time),
            URLQueryItem(name: "X-Amz-Expires", value: String(expires)),
            URLQueryItem(name: "X-Amz-SignedHeaders", value: "host"),
        ]
        if let token = credentials.sessionToken {
            query.append(URLQueryItem(name: "X-Amz-Security-Token", value: token))
        }
        let canonicalQuery = Self.canonicalQuery(query)
        let request = [
            method, Self.canonicalPath(url), canonicalQuery, "host:\(Self.host(of: url))\n", "host",
            Self.unsignedPayload,
        ].joined(separator: "\n")
        let signature = sign(request, at: stamp)
        components.percentEncodedQuery = canonicalQuery + "&X-Amz-Signature=\(signature)"
        return components.url ?? url
    }

    /// The hex signature of `canonicalRequest` at `stamp`.
    private func sign(_ canonicalRequest: String, at stamp: Stamp) -> String {
        let stringToSign = [
            "AWS4-HMAC-SHA256", stamp.time, scope(stamp), Self.hexSHA256(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [stamp.day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
    }

    private func scope(_ stamp: Stamp) -> String { "\(stamp.day)/\(region)/\(service)/aws4_request" }

    /// The hex SHA-256 of `data`, as `x-amz-content-sha256` carries a body's.
    public static func hexSHA256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// The hex SHA-256 of `bytes` (a part of a multipart upload, read into a buffer).
    static func hexSHA256(bytes: UnsafeRawBufferPointer) -> String { hex(SHA256.hash(data: bytes)) }

    private static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// `Host` as sent: the host, and the port unless it is the scheme's own.
    static func host(of url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port, port != (url.scheme == "https" ? 443 : 80) else { return host }
        return "\(host):\(port)"
    }

    /// The path, each segment URI-encoded once; `/` for none.
    static func canonicalPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.path ?? url.path
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }
            .joined(separator: "/")
    }

    static func canonicalQuery(_ url: URL) -> String {
        canonicalQuery(URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? [])
    }

    /// Names and values encoded, sorted by name (then value), `name=value` joined by `&`; a valueless name gets `=`.
    static func canonicalQuery(_ items: [URLQueryItem]) -> String {
        items.map { (uriEncode($0.name), uriEncode($0.value ?? "")) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Every byte but the unreserved `A-Z a-z 0-9 - _ . ~` as `%XX` (upper-case hex), as SigV4 requires.
    static func uriEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }
}

/// The signed headers: lower-case names, values trimmed with inner runs of spaces made one, sorted by name.
private struct CanonicalHeaders {
    /// `name:value\n` for each.
    let text: String
    /// The names joined by `;`.
    let names: String

    init(_ headers: [(name: String, value: String)]) {
        let normalised = headers.map { header in
            (
                name: header.name.lowercased(),
                value: header.value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            )
        }.sorted { $0.name < $1.name }
        text = normalised.map { "\($0.name):\($0.value)\n" }.joined()
        names = normalised.map(\.name).joined(separator: ";")
    }
}

/// The request time as SigV4 writes it: `20130524T000000Z` and its day `20130524`, in UTC.
private struct Stamp {
    let time: String
    let day: String

    init(_ date: Date) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        time = formatter.string(from: date)
        day = String(time.prefix(8))
    }
}
