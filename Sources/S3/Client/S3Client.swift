import AsyncHTTPClient
import Foundation
import NIOCore

/// A small client for one bucket of an S3-compatible server (AWS S3, SeaweedFS, MinIO, Ceph RGW, R2) on
/// async-http-client: objects (`S3Client+Objects`), multipart upload (`S3Client+Multipart`), listing and deletion
/// (`S3Client+Listing`).
///
/// Every request is signed with AWS Signature Version 4 and carries the real SHA-256 of its body in
/// `x-amz-content-sha256` (AWS checks it; SeaweedFS does not). Failed requests are retried by the `S3RetryPolicy`
/// on 5xx, throttling and connection failures only; what still fails is thrown as an `S3Error`. Keys are full
/// keys (see `S3Location.key(_:)` for a prefix), sent with SigV4's single encoding of each path segment, so any
/// UTF-8 key round-trips.
///
/// The client owns no connections: it borrows an `HTTPClient` (by default `S3Client.sharedHTTPClient`, one pool
/// per process) and its owner shuts that down, if it needs to, after the last request.
public final class S3Client: Sendable {
    public let bucket: String
    public let configuration: S3Configuration
    public let retryPolicy: S3RetryPolicy
    /// The longest one request may take, its response body included: a streamed read must finish within it.
    public let timeout: TimeAmount
    let httpClient: HTTPClient
    let signer: SigV4Signer
    /// `ENDPOINT/BUCKET` or `https://BUCKET.s3.REGION.amazonaws.com`, no trailing slash.
    let bucketURL: String

    public init(
        bucket: String, configuration: S3Configuration, httpClient: HTTPClient = S3Client.sharedHTTPClient,
        retryPolicy: S3RetryPolicy = .standard, timeout: TimeAmount = .minutes(10)
    ) {
        self.bucket = bucket
        self.configuration = configuration
        self.httpClient = httpClient
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        bucketURL = configuration.bucketURL(bucket)
    }

    /// The process's connection pool for S3: a connection that cannot be made fails at once (after 10 s at most)
    /// and is retried by the client's own `S3RetryPolicy`, where `HTTPClient.shared` would keep trying until the
    /// request's deadline (minutes, for a server that is down). Never shut down: it lives as long as the process.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(10)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// A client for `location`'s bucket; the prefix is the caller's to apply with `location.key(_:)`.
    public convenience init(
        location: S3Location, configuration: S3Configuration, httpClient: HTTPClient = S3Client.sharedHTTPClient,
        retryPolicy: S3RetryPolicy = .standard, timeout: TimeAmount = .minutes(10)
    ) {
        self.init(
            bucket: location.bucket, configuration: configuration, httpClient: httpClient, retryPolicy: retryPolicy,
            timeout: timeout)
    }

    /// Sends `request`, retrying by the policy, and hands each successful (2xx) response to `read`, which may
    /// throw a retryable `S3Error` itself (a `200 OK` whose body is an `<Error>`).
    func perform<Value>(_ request: S3Request, _ read: (HTTPClientResponse) async throws -> Value) async throws
        -> Value
    {
        var attempt = 1
        while true {
            do {
                return try await read(try await send(request))
            } catch let error as S3Error where error.isRetryable && attempt < retryPolicy.maxAttempts {
                try await retryPolicy.sleep(retryPolicy.delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }

    /// One attempt: the 2xx response with its body unread, or an `S3Error` (retryable for 5xx, throttling and
    /// connection failures).
    private func send(_ request: S3Request) async throws -> HTTPClientResponse {
        try Task.checkCancellation()
        let url = request.url(bucketURL: bucketURL)
        guard let parsed = URL(string: url) else {
            throw S3Error(
                operation: request.operation, key: request.key, status: nil, code: nil,
                message: "cannot make a URL of the key")
        }
        let signature = signer.signatureHeaders(
            method: request.method, url: parsed, headers: request.headers, payloadHash: request.payloadHash)
        var http = HTTPClientRequest(url: url)
        http.method = .init(rawValue: request.method)
        http.headers.add(name: "Host", value: SigV4Signer.host(of: parsed))
        for header in request.headers + signature { http.headers.add(name: header.name, value: header.value) }
        if let body = request.body { http.body = .bytes(body) }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(http, timeout: timeout)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw S3Error(
                operation: request.operation, key: request.key, status: nil, code: nil,
                message: "no answer from \(SigV4Signer.host(of: parsed)): \(error)", isRetryable: true)
        }
        let status = Int(response.status.code)
        guard !(200..<300).contains(status) else { return response }
        throw await S3Error(response, request: request)
    }

    /// The body of a successful reply, at most `limit` bytes, as S3's XML.
    func xml(_ response: HTTPClientResponse, _ request: S3Request, limit: Int = 16 << 20) async throws -> S3XML {
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: limit)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw S3Error(
                operation: request.operation, key: request.key, status: Int(response.status.code), code: nil,
                message: "the reply broke off: \(error)", isRetryable: true)
        }
        do {
            return try S3XML.parse(body.readableBytesView)
        } catch {
            throw S3Error(
                operation: request.operation, key: request.key, status: Int(response.status.code), code: nil,
                message: "\(error)")
        }
    }

    /// Reads the rest of a body whose bytes are not wanted, so the connection can serve the next request.
    func discard(_ response: HTTPClientResponse) async {
        do {
            for try await _ in response.body {}
        } catch {}
    }
}

extension S3Error {
    init(operation: String, key: String?, status: Int?, code: String?, message: String, isRetryable: Bool) {
        self.init(operation: operation, key: key, status: status, code: code, message: message)
        self.isRetryable = isRetryable
    }

    /// The error a non-2xx response reports: S3's `<Error>` body read for its `Code` and `Message` (the rest of it,
    /// which for a refused signature holds the string to sign, is not kept).
    init(_ response: HTTPClientResponse, request: S3Request) async {
        let status = Int(response.status.code)
        // A reply to HEAD has no body: some servers name the error in headers instead.
        var code = response.headers.first(name: "x-amz-error-code")
        var message = response.headers.first(name: "x-amz-error-message") ?? response.status.reasonPhrase
        if let body = try? await response.body.collect(upTo: 1 << 20), body.readableBytes > 0,
            let xml = try? S3XML.parse(body.readableBytesView), xml.name == "Error"
        {
            code = xml["Code"]
            if let text = xml["Message"], !text.isEmpty { message = text }
        }
        self.init(
            operation: request.operation, key: request.key, status: status, code: code, message: message,
            isRetryable: S3RetryPolicy.isRetryable(status: status, code: code))
    }
}

/// One S3 request as data: what to sign and send, and what to name in an error.
struct S3Request: Sendable {
    var operation: String
    /// The object's key, the request's path; nil for a request on the bucket (a listing, `DeleteObjects`).
    var path: String?
    /// The key or prefix an error names: the object's key, or what a bucket request is about.
    var key: String?
    var method: String
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    var body: ByteBuffer?
    /// The hex SHA-256 of the body (of nothing, without one), computed once for every attempt.
    let payloadHash: String

    init(
        _ operation: String, _ method: String, key: String?, query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: ByteBuffer? = nil
    ) {
        self.operation = operation
        self.method = method
        self.path = key
        self.key = key
        self.query = query
        self.headers = headers
        self.body = body
        payloadHash = body.map(Self.hexSHA256) ?? SigV4Signer.emptyPayload
    }

    /// The request's URL: each segment of the key encoded as SigV4 encodes it (so the path sent is the path
    /// signed), the query likewise.
    func url(bucketURL: String) -> String {
        let path = (self.path ?? "").split(separator: "/", omittingEmptySubsequences: false)
            .map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/")
        var url = bucketURL + "/" + path
        if !query.isEmpty {
            url +=
                "?"
                + query.map { SigV4Signer.uriEncode($0.name) + "=" + SigV4Signer.uriEncode($0.value) }
                .joined(separator: "&")
        }
        return url
    }

    static func hexSHA256(_ buffer: ByteBuffer) -> String {
        buffer.withUnsafeReadableBytes { SigV4Signer.hexSHA256(bytes: $0) }
    }
}
