/// A request to S3 that failed: which operation on which key, the HTTP status and S3's own error code and message,
/// or the connection's failure. It never holds a credential, a signature or a request's headers, so it can be
/// logged as it is.
public struct S3Error: Error, CustomStringConvertible, Sendable {
    /// S3's name for the operation (`PutObject`, `GetObject`, `UploadPart`, `DeleteObjects`, ...).
    public var operation: String
    /// The object's key, or the prefix for a listing; nil for requests on the bucket itself.
    public var key: String?
    /// The HTTP status; nil when no answer came (the connection failed) or the failure was the client's own.
    public var status: Int?
    /// S3's error `Code` (`NoSuchKey`, `SlowDown`, `SignatureDoesNotMatch`, ...), when the server gave one.
    public var code: String?
    /// S3's error `Message`, or what went wrong when no server message applies.
    public var message: String
    /// Whether another attempt may succeed (5xx, throttling, no answer); the retry policy's to act on.
    var isRetryable = false

    public init(operation: String, key: String?, status: Int?, code: String?, message: String) {
        self.operation = operation
        self.key = key
        self.status = status
        self.code = code
        self.message = message
    }

    /// True for `RequestTimeTooSkewed`: this machine's clock (or the server's) is off by more than 15 minutes, so
    /// every signature is refused; a configuration error that no retry fixes.
    public var isClockSkew: Bool { code == "RequestTimeTooSkewed" }

    /// True when the object (or upload) does not exist: 404, `NoSuchKey` or `NoSuchUpload`.
    public var isNotFound: Bool { status == 404 || code == "NoSuchKey" || code == "NoSuchUpload" }

    /// `S3 PutObject 'calls/1/call.mp3': 403 SignatureDoesNotMatch: ...` on one line.
    public var description: String {
        var text = "S3 \(operation)"
        if let key { text += " '\(key)'" }
        text += ":"
        if let status { text += " \(status)" }
        if let code { text += " \(code)" }
        text += (status == nil && code == nil ? " " : ": ") + message
        if isClockSkew {
            text += " (this machine's clock differs from the server's by more than 15 minutes: check the clock)"
        }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
