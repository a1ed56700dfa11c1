import CallMail
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Submits one message to an SMTP server over SwiftNIO, with TLS from NIOSSL: `SMTPSession` decides what
/// to say, this type carries the bytes, upgrades to TLS when told, and gives up after `timeout` of silence.
///
/// Server certificates are verified against the system's trust store, or against the PEM file given (a
/// private CA, or a test server's self-signed certificate); verification is never turned off.
public struct SMTPSender: MailTransport {
    public var server: SMTPServerURL
    /// A PEM file of certificates to trust instead of the system's.
    public var trustedCertificates: String?
    /// The longest wait for any one reply.
    public var timeout: TimeAmount
    /// The name given in EHLO.
    public var clientName: String

    public init(
        server: SMTPServerURL, trustedCertificates: String? = nil, timeout: TimeAmount = .seconds(60),
        clientName: String = "callaudio.localhost"
    ) {
        self.server = server
        self.trustedCertificates = trustedCertificates
        self.timeout = timeout
        self.clientName = clientName
    }

    public var destination: String { server.description }

    /// The environment variable a password comes from when the server URL names a user but no password, so that
    /// it stays out of command lines, shell history, process listings and job rows.
    public static let passwordVariable = "CALLAUDIO_SMTP_PASSWORD"

    /// The sender for `url` (`smtp://user[:password]@host:587` or `smtps://...`), the password from the URL or
    /// else from `passwordVariable` in `environment`.
    public init(
        url: String, trustedCertificates: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SMTPError) {
        self.init(
            server: try SMTPServerURL(url, environmentPassword: environment[Self.passwordVariable]),
            trustedCertificates: trustedCertificates)
    }

    /// Sends `message` from `sender` to `recipients`; returns the server's reply accepting it.
    public func send(_ message: Data, from sender: String, to recipients: [String]) async throws -> SMTPReply {
        let tls = try makeTLSContext()
        var session = SMTPSession(
            clientName: clientName, encrypted: server.implicitTLS, requireStartTLS: !server.plaintext,
            credentials: server.credentials, sender: sender, recipients: recipients, message: message)
        let host = server.host
        let implicitTLS = server.implicitTLS
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: host, port: server.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(host)))
                        }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connectionLost("cannot connect to \(server) (\(error))")
        }
        let timeout = self.timeout
        return try await channel.executeThenClose { inbound, outbound in
            var replies = ReplyReader(inbound.makeAsyncIterator(), channel: channel.channel, timeout: timeout)
            var action = session.receive(try await replies.next())
            while true {
                switch action {
                case .send(let line), .sendSecret(let line):
                    try await outbound.write(ByteBuffer(string: line + "\r\n"))
                    action = session.receive(try await replies.next())
                case .sendData(let data):
                    try await outbound.write(ByteBuffer(bytes: data))
                    action = session.receive(try await replies.next())
                case .startTLS:
                    let name = Self.sniName(host)
                    try await channel.channel.eventLoop.submit {
                        try channel.channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: name), position: .first)
                    }.get()
                    action = session.tlsEstablished()
                case .delivered(let reply):
                    try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
                    return reply
                case .failed(let error):
                    throw error
                }
            }
        }
    }

    /// SNI takes host names, not addresses.
    private static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let trustedCertificates { configuration.trustRoots = .file(trustedCertificates) }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError.protocolViolation("cannot set up TLS (\(error))")
        }
    }
}

/// Reads whole replies from the connection, line by line, failing with `connectionLost` when it closes or
/// stays silent for `timeout` (the connection is then closed).
private struct ReplyReader {
    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let channel: any Channel
    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private let timeout: TimeAmount

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, channel: any Channel, timeout: TimeAmount)
    {
        self.iterator = iterator
        self.channel = channel
        self.timeout = timeout
    }

    mutating func next() async throws -> SMTPReply {
        while true {
            while let line = takeLine() {
                if let reply = try parser.take(line) { return reply }
            }
            let channel = self.channel
            let deadline = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            let more = try await iterator.next()
            deadline.cancel()
            guard var more else {
                throw SMTPError.connectionLost(
                    "the server closed the connection or sent no reply within \(timeout.nanoseconds / 1_000_000_000) s")
            }
            buffer.writeBuffer(&more)
        }
    }

    private mutating func takeLine() -> String? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let length = newline - view.startIndex + 1
        let line = buffer.readString(length: length) ?? ""
        // "\r\n" is one Character in Swift, as is a lone "\n".
        return String(line.dropLast())
    }
}
