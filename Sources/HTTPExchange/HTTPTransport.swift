import Foundation

/// Carries one HTTP request and brings back its reply, for the core's engines that talk to a server (the
/// OpenAI-compatible transcription engine) without the core linking any networking: the adapter `CallHTTP`
/// implements it on SwiftNIO, and tests may give their own.
///
/// Blocking: called on a worker thread, never on an event loop.
public protocol HTTPTransport: Sendable {
    /// Sends `request` once (no retry, no redirect) and returns the server's reply, whatever its status.
    /// - Throws: when no reply came: the server cannot be reached, the connection broke, TLS failed, or
    ///   `request.timeout` passed. The error names the server, never a header's value.
    func send(_ request: HTTPRequest) throws -> HTTPReply
}

/// One request: method, absolute http(s) URL, header fields, the whole body, and how long to wait for the reply.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Header fields in order; `Host`, `Content-Length` and `Connection` are the transport's to set.
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Seconds from the start of the request until the whole reply has arrived.
    public var timeout: Double

    public init(
        method: String = "POST", url: URL, headers: [(name: String, value: String)] = [], body: Data = Data(),
        timeout: Double = 60
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A server's whole reply.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of the header field `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
