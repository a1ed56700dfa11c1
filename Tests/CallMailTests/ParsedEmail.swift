import Foundation

/// A message as Python's `email` package (an independent parser) reads it: see Tests/Scripts/parse_email.py.
struct ParsedEmail: Decodable {
    struct Attachment: Decodable {
        var filename: String?
        var contentType: String
        var disposition: String?
        var transferEncoding: String?
        var base64: String

        var data: Data { Data(base64Encoded: base64) ?? Data() }
    }

    var headers: [[String]]
    var defects: [String]
    var tree: [String]
    var bareLineFeeds: Int
    var longestLine: Int
    var recipients: [String]
    var text: String?
    var html: String?
    var attachment: Attachment?

    /// The values of every header named `name` (case-insensitive), decoded.
    func values(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }

    func value(_ name: String) -> String? { values(name).first }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/parse_email.py")

    /// Parses `raw` (the message's bytes) with `/usr/bin/python3`.
    static func parse(_ raw: Data) throws -> ParsedEmail {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Write on another thread: a large message would otherwise fill the pipe while Python's output waits.
        let writer = Thread {
            input.fileHandleForWriting.write(raw)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONDecoder().decode(ParsedEmail.self, from: json)
    }
}
