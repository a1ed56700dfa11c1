import Foundation

/// The client side of one SMTP submission as a state machine with no I/O: it is fed the server's replies and
/// answers with what to do next (send a command, upgrade to TLS, send the message, finish). A transport
/// (SwiftNIO with NIOSSL) carries the bytes; tests drive it by hand.
///
/// It says EHLO, upgrades with STARTTLS when the settings require it (refusing before anything else is sent when
/// the server does not offer it) and says EHLO again, authenticates with AUTH PLAIN or LOGIN, checks the
/// announced SIZE, then MAIL FROM, one RCPT TO per recipient, DATA, the dot-stuffed message, and QUIT.
public struct SMTPSession: Sendable {
    /// What the transport does next.
    public enum Action: Sendable, Equatable {
        /// Send this command line (the transport appends CRLF).
        case send(String)
        /// Send this command line, which carries a credential: the transport must never log it.
        case sendSecret(String)
        /// Upgrade the connection to TLS, then call `tlsEstablished()`.
        case startTLS
        /// Send these bytes: the message, dot-stuffed, ending in CRLF.CRLF.
        case sendData(Data)
        /// The server accepted the message with this reply; close after QUIT.
        case delivered(SMTPReply)
        case failed(SMTPError)
    }

    /// Credentials for AUTH.
    public struct Credentials: Sendable, Equatable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    private enum State: Sendable, Equatable {
        case greeting, ehlo, startTLS, ehloAfterTLS, authPlain, authLoginUser, authLoginPassword, mailFrom
        case recipient(Int)
        case data, message, finished
    }

    private let clientName: String
    private let requireStartTLS: Bool
    private let credentials: Credentials?
    private let sender: String
    private let recipients: [String]
    private let message: Data
    private var state: State = .greeting
    private var isEncrypted: Bool

    /// - Parameters:
    ///   - clientName: the host name this client gives in EHLO.
    ///   - encrypted: true when the connection is already TLS (smtps, port 465).
    ///   - requireStartTLS: on a plain connection, refuse to go on without STARTTLS.
    public init(
        clientName: String, encrypted: Bool, requireStartTLS: Bool, credentials: Credentials?, sender: String,
        recipients: [String], message: Data
    ) {
        self.clientName = clientName
        self.isEncrypted = encrypted
        self.requireStartTLS = requireStartTLS
        self.credentials = credentials
        self.sender = sender
        self.recipients = recipients
        self.message = message
    }

    /// The connection is now TLS: start over with EHLO, as RFC 3207 requires.
    public mutating func tlsEstablished() -> Action {
        isEncrypted = true
        state = .ehloAfterTLS
        return .send("EHLO \(clientName)")
    }

    /// The next action after the server's `reply`.
    public mutating func receive(_ reply: SMTPReply) -> Action {
        switch state {
        case .greeting:
            guard reply.code == 220 else { return fail("the greeting", reply) }
            state = .ehlo
            return .send("EHLO \(clientName)")
        case .ehlo, .ehloAfterTLS:
            guard reply.code == 250 else { return fail("EHLO", reply) }
            return afterEHLO(reply)
        case .startTLS:
            guard reply.code == 220 else { return fail("STARTTLS", reply) }
            return .startTLS
        case .authPlain, .authLoginPassword:
            guard reply.code == 235 else { return fail("the login", reply) }
            return mailFrom()
        case .authLoginUser:
            guard reply.code == 334, let credentials else { return fail("the login", reply) }
            state = .authLoginPassword
            return .sendSecret(Base64.encode(credentials.password.utf8))
        case .mailFrom:
            guard reply.code == 250 else { return fail("the sender", reply) }
            return nextRecipient(0)
        case .recipient(let index):
            guard reply.code == 250 || reply.code == 251 else { return fail("recipient \(recipients[index])", reply) }
            return nextRecipient(index + 1)
        case .data:
            guard reply.code == 354 else { return fail("DATA", reply) }
            state = .message
            return .sendData(Self.dotStuffed(message))
        case .message:
            state = .finished
            return reply.code == 250 ? .delivered(reply) : fail("the message", reply)
        case .finished:
            return .failed(.protocolViolation("a reply arrived after the session ended: \(reply)"))
        }
    }

    /// The session cannot go on; `problem` says why (closed, timed out).
    public mutating func connectionLost(_ problem: String) -> Action {
        state = .finished
        return .failed(.connectionLost(problem))
    }

    private mutating func afterEHLO(_ reply: SMTPReply) -> Action {
        let extensions = reply.lines.dropFirst().map { $0.uppercased().split(separator: " ").map(String.init) }
        if !isEncrypted && requireStartTLS {
            guard extensions.contains(where: { $0.first == "STARTTLS" }) else {
                state = .finished
                return .failed(.startTLSUnavailable)
            }
            state = .startTLS
            return .send("STARTTLS")
        }
        if let limit = extensions.first(where: { $0.first == "SIZE" })?.dropFirst().first.flatMap({ Int($0) }),
            limit > 0, message.count > limit
        {
            state = .finished
            return .failed(.messageTooLarge(bytes: message.count, limit: limit))
        }
        guard let credentials else { return mailFrom() }
        let mechanisms = extensions.first(where: { $0.first == "AUTH" })?.dropFirst() ?? []
        if mechanisms.contains("PLAIN") {
            state = .authPlain
            let token = Base64.encode(Array("\0\(credentials.username)\0\(credentials.password)".utf8))
            return .sendSecret("AUTH PLAIN \(token)")
        }
        if mechanisms.contains("LOGIN") {
            state = .authLoginUser
            return .sendSecret("AUTH LOGIN \(Base64.encode(credentials.username.utf8))")
        }
        state = .finished
        return .failed(.noUsableAuthMechanism(offered: Array(mechanisms)))
    }

    private mutating func mailFrom() -> Action {
        state = .mailFrom
        return .send("MAIL FROM:<\(sender)>\(message.count > 0 ? " SIZE=\(message.count)" : "")")
    }

    private mutating func nextRecipient(_ index: Int) -> Action {
        guard index < recipients.count else {
            state = .data
            return .send("DATA")
        }
        state = .recipient(index)
        return .send("RCPT TO:<\(recipients[index])>")
    }

    private mutating func fail(_ step: String, _ reply: SMTPReply) -> Action {
        state = .finished
        return .failed(.rejected(step: step, reply: reply))
    }

    /// `message` with a dot doubled at the start of every line (RFC 5321 section 4.5.2), CRLF at the end,
    /// then the `.` line that ends DATA.
    static func dotStuffed(_ message: Data) -> Data {
        var output = Data()
        output.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { output.append(UInt8(ascii: ".")) }
            output.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !output.isEmpty && !output.ends(with: [13, 10]) { output.append(contentsOf: [13, 10]) }
        output.append(contentsOf: Array(".\r\n".utf8))
        return output
    }
}

extension Data {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self.suffix(suffix.count)) == suffix
    }
}
