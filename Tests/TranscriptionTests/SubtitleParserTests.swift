import AudioTesting
import CallTranscription
import Foundation
import Testing

/// call.vtt and call.srt read back by an independent parser (Python's webvtt-py, pinned in tools/webvtt) match
/// the transcript they were written from.
@Suite struct SubtitleParserTests {
    struct Cue: Decodable, Equatable {
        var start: Double
        var end: Double
        var voice: String?
        var text: String
    }

    let transcript = Transcript.merging(
        [TranscriptOutputTests.caller, TranscriptOutputTests.agent], engine: "test", model: "none", language: "en")

    /// Runs tools/webvtt/cues.py on `path` in its pinned environment (made by scripts/python-env.sh once).
    func cues(_ path: String) throws -> [Cue] {
        let environment = try run(Fixtures.packageRoot.appendingPathComponent("scripts/python-env.sh").path, ["webvtt"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let output = try run(
            environment + "/bin/python",
            [Fixtures.packageRoot.appendingPathComponent("tools/webvtt/cues.py").path, path])
        return try output.split(separator: "\n").map { try JSONDecoder().decode(Cue.self, from: Data($0.utf8)) }
    }

    func run(_ executable: String, _ arguments: [String]) throws -> String {
        try ExternalTool.output(executable, arguments)
    }

    @Test func webVTTParsesToTheTranscriptsSegments() throws {
        try withScratchFolder { folder throws in
            let files = TranscriptFiles(directory: folder.path)
            try files.write(transcript)
            let parsed = try cues(files.vtt)
            #expect(parsed.map(\.voice) == transcript.segments.map(\.speaker))
            #expect(parsed.map(\.start) == transcript.segments.map(\.start))
            #expect(parsed.map(\.end) == transcript.segments.map(\.end))
            #expect(parsed.map(\.text) == transcript.segments.map(\.text))
        }
    }

    @Test func srtParsesToTheTranscriptsSegments() throws {
        try withScratchFolder { folder throws in
            let files = TranscriptFiles(directory: folder.path)
            try files.write(transcript)
            let parsed = try cues(files.srt)
            #expect(parsed.map(\.start) == transcript.segments.map(\.start))
            #expect(parsed.map(\.end) == transcript.segments.map(\.end))
            // SRT has no escapes, and its readers take `<...>` as markup: text with angle brackets is left out.
            let plain = zip(parsed, transcript.segments).filter { !$0.1.text.contains("<") }
            #expect(plain.count == 3)
            #expect(plain.allSatisfy { $0.0.text == "\($0.1.speaker): \($0.1.text)" })
        }
    }
}
