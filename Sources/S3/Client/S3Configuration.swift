import Foundation

/// How to reach an S3-compatible server: the endpoint, the region, the keys and the addressing style, read from the
/// same variables as AWS's own tools, so one environment configures `aws`, boto3 and CallAudio alike.
public struct S3Configuration: Sendable, CustomStringConvertible {
    /// The server, such as `http://127.0.0.1:8333` for SeaweedFS or MinIO; nil for AWS itself
    /// (`https://BUCKET.s3.REGION.amazonaws.com`).
    public var endpoint: URL?
    /// The region requests are signed for (`us-east-1` unless told; other servers accept what they were set up with).
    public var region: String
    public var credentials: S3Credentials
    /// Whether the bucket goes in the path (`ENDPOINT/BUCKET/KEY`, what S3-compatible servers expect) rather than in
    /// the host name (`BUCKET.s3.REGION.amazonaws.com/KEY`).
    public var usesPathStyle: Bool

    /// - Parameter usesPathStyle: nil for the default: path style with an endpoint, virtual-host style without.
    public init(
        endpoint: URL? = nil, region: String = "us-east-1", credentials: S3Credentials, usesPathStyle: Bool? = nil
    ) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.usesPathStyle = usesPathStyle ?? (endpoint != nil)
    }

    /// `AWS_ENDPOINT_URL` (path-style addressing when set), `AWS_REGION` (default `us-east-1`), `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
    /// - Throws: `S3ConfigurationError`, one line naming the variable that is missing or wrong; never a secret.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var endpoint: URL?
        if let text = environment["AWS_ENDPOINT_URL"], !text.isEmpty {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                url.host?.isEmpty == false, url.query == nil
            else {
                throw S3ConfigurationError("AWS_ENDPOINT_URL '\(text)' is not an http:// or https:// URL of a server")
            }
            endpoint = url
        }
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] where environment[name]?.isEmpty ?? true {
            throw S3ConfigurationError(
                "\(name) is not set (the S3 storage's credentials are read as AWS tools read them)")
        }
        guard let credentials = S3Credentials(environment: environment) else {
            throw S3ConfigurationError("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set")
        }
        let region = environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        self.init(endpoint: endpoint, region: region, credentials: credentials)
    }

    /// The URL of `bucket`'s root, with no trailing slash: `ENDPOINT/BUCKET` in path style,
    /// `https://BUCKET.s3.REGION.amazonaws.com` (or the bucket as a subdomain of the endpoint) otherwise.
    func bucketURL(_ bucket: String) -> String {
        guard let endpoint else {
            return usesPathStyle
                ? "https://s3.\(region).amazonaws.com/\(bucket)" : "https://\(bucket).s3.\(region).amazonaws.com"
        }
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard !usesPathStyle, var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false),
            let host = components.host
        else { return "\(base)/\(bucket)" }
        components.host = "\(bucket).\(host)"
        var virtual = components.string ?? base
        while virtual.hasSuffix("/") { virtual.removeLast() }
        return virtual
    }

    /// The endpoint, region, style and access key id; never the secret or the session token.
    public var description: String {
        "S3Configuration(endpoint: \(endpoint?.absoluteString ?? "AWS"), region: \(region), "
            + "\(usesPathStyle ? "path" : "virtual-host") style, access key \(credentials.accessKeyID))"
    }
}

/// A missing or wrong S3 setting; its description is one line naming the variable, never a secret's value.
public struct S3ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }
}
