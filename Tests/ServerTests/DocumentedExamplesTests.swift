import AudioTesting
import CallAudio
import CallTranscription
import Foundation
import Testing

@testable import CallRecordings

/// Every JSON example the reference pages in `docs/` show (each after a line `Example (read by a test):`)
/// decodes with the type the code writes it with, and holds exactly the keys that type writes back: a key
/// misspelled, invented or left out of a page fails here.
@Suite struct DocumentedExamplesTests {
    static let docs = Fixtures.packageRoot.appendingPathComponent("docs")

    /// The JSON blocks that follow the marker line on `page`.
    static func examples(on page: String) throws -> [Data] {
        let lines = try String(contentsOf: docs.appendingPathComponent(page), encoding: .utf8)
            .components(separatedBy: "\n")
        var examples: [Data] = []
        for (index, line) in lines.enumerated() where line == "Example (read by a test):" {
            guard index + 1 < lines.count, lines[index + 1] == "```json" else { continue }
            let block = lines[(index + 2)...].prefix { $0 != "```" }
            examples.append(Data(block.joined(separator: "\n").utf8))
        }
        return examples
    }

    /// Decodes `data` as `T`, encodes it back, and checks both hold the same keys, everywhere.
    static func roundTrip<T: Codable>(_ data: Data, as type: T.Type, page: String) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let value = try decoder.decode(T.self, from: data)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let written = try encoder.encode(value)
        let shown = keyPaths(try JSONSerialization.jsonObject(with: data))
        let rewritten = keyPaths(try JSONSerialization.jsonObject(with: written))
        #expect(
            shown == rewritten,
            "\(page): \(T.self) writes \(rewritten.subtracting(shown).sorted()), the page shows \(shown.subtracting(rewritten).sorted())"
        )
    }

    /// Every key path in a JSON value (`legs[].format`), array elements merged.
    static func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        if let object = value as? [String: Any] {
            return object.reduce(into: Set<String>()) { paths, entry in
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                paths.insert(path)
                paths.formUnion(keyPaths(entry.value, prefix: path))
            }
        }
        if let array = value as? [Any] {
            return array.reduce(into: Set<String>()) { $0.formUnion(keyPaths($1, prefix: prefix + "[]")) }
        }
        return []
    }

    @Test(arguments: [
        ("report-format.md", "CallReport"), ("service-api.md", "RecordingResource"),
        ("webhooks.md", "RecordingEvents.Body"), ("transcripts.md", "Transcript"),
    ])
    func everyExampleOnThePageIsWhatTheCodeWrites(page: String, type: String) throws {
        let examples = try Self.examples(on: page)
        #expect(!examples.isEmpty, "\(page) shows no example")
        for example in examples {
            switch type {
            case "CallReport": try Self.roundTrip(example, as: CallReport.self, page: page)
            case "RecordingResource":
                // The page shows a recording, and a search's answer (`hits`).
                let object = try JSONSerialization.jsonObject(with: example) as? [String: Any]
                if object?["hits"] != nil {
                    try Self.roundTrip(example, as: SearchResults.self, page: page)
                } else {
                    try Self.roundTrip(example, as: RecordingResource.self, page: page)
                }
            case "RecordingEvents.Body": try Self.roundTrip(example, as: RecordingEvents.Body.self, page: page)
            default: try Self.roundTrip(example, as: Transcript.self, page: page)
            }
        }
    }

    @Test func theReadmeIsAFrontPageWhoseIndexLinksPagesThatExist() throws {
        let readme = try String(
            contentsOf: Self.docs.deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.components(separatedBy: "\n").count <= 160)
        let linked = Set(
            readme.components(separatedBy: "](docs/").dropFirst().compactMap { $0.split(separator: ")").first }
                .map { String($0.split(separator: "#").first ?? "") })
        #expect(linked.count >= 8, "\(linked.sorted())")
        for page in linked {
            #expect(FileManager.default.fileExists(atPath: Self.docs.appendingPathComponent(page).path), "\(page)")
        }
    }
}
