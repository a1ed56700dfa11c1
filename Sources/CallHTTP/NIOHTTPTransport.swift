import Foundation
import HTTPExchange
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTP/1.1 requests on SwiftNIO, with TLS from NIOSSL: one connection per request, closed after the reply.
///
/// It replaces Foundation's `URLSession`, whose Linux implementation loads libcurl, GnuTLS, Kerberos and some
/// twenty more libraries into every process that links it, and cannot be linked statically without them.
/// Server certificates are verified against the system's trust store, or against the PEM file given (a private
/// CA, or a test server's self-signed certificate); verification is never turned off.
public struct NIOHTTPTransport: HTTPTransport {
    /// A PEM file of certificates to trust instead of the system's.
    public var trustedCertificates: String?
    /// The largest reply body accepted; a longer one fails the request rather than filling memory.
    public var maximumReplyBytes: Int

    public init(trustedCertificates: String? = nil, maximumReplyBytes: Int = 16 * 1024 * 1024) {
        self.trustedCertificates = trustedCertificates
        self.maximumReplyBytes = maximumReplyBytes
    }

    public func send(_ request: HTTPRequest) throws -> HTTPReply {
        let server = try Server(request.url)
        let tls = server.secure ? try makeTLSContext(server) : nil
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let reply = eventLoop.makePromise(of: HTTPReply.self)
        let timeout = TimeAmount.nanoseconds(Int64(max(0.001, request.timeout) * 1e9))
        let limit = maximumReplyBytes
        let bootstrap = ClientBootstrap(group: eventLoop).connectTimeout(timeout).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                if let tls {
                    try pipeline.addHandler(NIOSSLClientHandler(context: tls, serverHostname: server.sniName))
                }
                try pipeline.addHTTPClientHandlers()
                try pipeline.addHandler(ReplyCollector(reply: reply, limit: limit))
            }
        }
        let channel: any Channel
        do {
            channel = try bootstrap.connect(host: server.host, port: server.port).wait()
        } catch {
            reply.fail(error)
            throw HTTPTransportError("cannot connect to \(server) (\(error))")
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            channel.pipeline.fireErrorCaught(HTTPTransportError("no whole reply in \(request.timeout) s"))
        }
        defer { deadline.cancel() }
        channel.write(HTTPClientRequestPart.head(head(of: request, to: server)), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: request.body))), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        do {
            return try reply.futureResult.wait()
        } catch {
            throw HTTPTransportError("\(server): \(error)")
        }
    }

    private func head(of request: HTTPRequest, to server: Server) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: server.hostHeader)
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Length", value: String(request.body.count))
        headers.replaceOrAdd(name: "Connection", value: "close")
        return HTTPRequestHead(
            version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: server.target, headers: headers)
    }

    private func makeTLSContext(_ server: Server) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustedCertificates { configuration.trustRoots = .file(trustedCertificates) }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw HTTPTransportError("cannot set up TLS for \(server) (\(error))")
        }
    }
}

/// Why a request got no reply, naming the server (scheme, host, port: never a path's query or a header).
public struct HTTPTransportError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Where a request goes, from its URL.
private struct Server: CustomStringConvertible {
    let secure: Bool
    let host: String
    let port: Int
    /// The path and query, as the request line carries them.
    let target: String

    init(_ url: URL) throws {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw HTTPTransportError("\(url.absoluteString): not an http(s) URL with a host") }
        secure = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = url.port ?? (secure ? 443 : 80)
        let path = url.path.isEmpty ? "/" : url.path
        target = url.query.map { "\(path)?\($0)" } ?? path
    }

    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// SNI takes host names, not addresses.
    var sniName: String? {
        host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
    }

    var description: String { "\(secure ? "https" : "http")://\(hostHeader)" }
}

/// Gathers the reply's head and body, and fulfils the promise once: with the reply at its end, or with the first
/// error (a broken connection, TLS, a reply over the limit, the deadline); then closes the connection.
private final class ReplyCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let reply: EventLoopPromise<HTTPReply>
    private let limit: Int
    private var head: HTTPResponseHead?
    private var body = ByteBuffer()

    init(reply: EventLoopPromise<HTTPReply>, limit: Int) {
        self.reply = reply
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(var part):
            guard body.readableBytes + part.readableBytes <= limit else {
                return fail(HTTPTransportError("a reply longer than \(limit) bytes"), context: context)
            }
            body.writeBuffer(&part)
        case .end:
            guard let head else { return fail(HTTPTransportError("a reply with no status line"), context: context) }
            reply.succeed(
                HTTPReply(
                    status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) },
                    body: Data(body.readableBytesView)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        reply.fail(HTTPTransportError("the server closed the connection before its reply was whole"))
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        reply.fail(error)
        context.close(promise: nil)
    }
}
