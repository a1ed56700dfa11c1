import AudioTesting
import Foundation

/// A real SMTP server for one test suite (the SMTP and the CLI tests): Debian's aiosmtpd
/// (Tests/Scripts/smtp_server.py) on 127.0.0.1 with STARTTLS, using a throwaway self-signed certificate for
/// `localhost` made with openssl, and AUTH. It stops when the test process ends (its standard input closes).
public final class SMTPTestServer: Sendable {
    public let port: Int
    public let folder: URL
    /// The PEM certificate the client must trust (`--smtp-ca-file`).
    public let certificate: String
    private let server: ScriptedServer

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Scripts/smtp_server.py")

    public init(startTLS: Bool) throws {
        folder = try Fixtures.scratchFolder("callaudio-smtp")
        certificate = folder.appendingPathComponent("cert.pem").path
        let key = folder.appendingPathComponent("key.pem").path
        try Self.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            ])
        let messages = folder.appendingPathComponent("messages")
        try FileManager.default.createDirectory(at: messages, withIntermediateDirectories: true)
        server = try ScriptedServer(
            "/usr/bin/python3",
            [Self.script.path, messages.path] + (startTLS ? ["--cert", certificate, "--key", key] : ["--no-starttls"]))
        port = server.port
    }

    /// The messages stored so far whose recipients include `recipient`, oldest first.
    public func messages(to recipient: String) throws -> [Data] {
        let messages = folder.appendingPathComponent("messages")
        let names = try FileManager.default.contentsOfDirectory(atPath: messages.path).filter { $0.hasSuffix(".rcpt") }
            .sorted { Int($0.dropLast(5)) ?? 0 < Int($1.dropLast(5)) ?? 0 }
        return try names.compactMap { name in
            let recipients = try String(contentsOf: messages.appendingPathComponent(name), encoding: .utf8)
            guard recipients.split(separator: "\n").contains(Substring(recipient)) else { return nil }
            return try Data(contentsOf: messages.appendingPathComponent(String(name.dropLast(5)) + ".eml"))
        }
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        _ = try ExternalTool.run(tool, arguments)
    }
}
