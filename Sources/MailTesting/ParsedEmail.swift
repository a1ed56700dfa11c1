import AudioTesting
import Foundation

/// A message as Python's `email` package (an independent parser) reads it: see Tests/Scripts/parse_email.py.
public struct ParsedEmail: Decodable, Sendable {
    public struct Attachment: Decodable, Sendable {
        public var filename: String?
        public var contentType: String
        public var disposition: String?
        public var transferEncoding: String?
        public var base64: String

        public var data: Data { Data(base64Encoded: base64) ?? Data() }
    }

    public var headers: [[String]]
    public var defects: [String]
    public var tree: [String]
    public var bareLineFeeds: Int
    public var longestLine: Int
    public var recipients: [String]
    public var text: String?
    public var html: String?
    public var attachment: Attachment?

    /// The values of every header named `name` (case-insensitive), decoded.
    public func values(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }

    public func value(_ name: String) -> String? { values(name).first }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests/Scripts/parse_email.py")

    /// Parses `raw` (the message's bytes) with `/usr/bin/python3`.
    public static func parse(_ raw: Data) throws -> ParsedEmail {
        let parsed = try ExternalTool.run("/usr/bin/python3", [script.path], input: raw)
        return try JSONDecoder().decode(ParsedEmail.self, from: Data(parsed.stdout.utf8))
    }
}
