import AudioTesting
import CallTranscription
import Foundation
import Testing

@Suite struct TranscriptOutputTests {
    /// Two legs speaking alternately, as their engines return them: each leg in its own time order.
    static let caller = [
        TranscriptSegment(
            start: 0.5, end: 2.25, speaker: "Caller", leg: 0, text: "I want to cancel my account", confidence: 0.8,
            words: [
                TranscriptWord(word: "I", start: 0.5, end: 0.6, probability: 0.93),
                TranscriptWord(word: "want", start: 0.6, end: 0.9),
            ]),
        TranscriptSegment(
            start: 75.0, end: 77.5, speaker: "Caller", leg: 0, text: "Thanks, bye", confidence: nil, words: []),
    ]
    static let agent = [
        TranscriptSegment(
            start: 72.3, end: 74.9, speaker: "Agent", leg: 1, text: "I can refund that <today>", confidence: 0.9,
            words: []),
        TranscriptSegment(start: 3.0, end: 4.0, speaker: "Agent", leg: 1, text: "Sure", confidence: 0.7, words: []),
    ]

    let transcript = Transcript.merging([caller, agent], engine: "test", model: "none", language: "en")

    @Test func mergesLegsInTimeOrder() {
        #expect(transcript.segments.map(\.start) == [0.5, 3.0, 72.3, 75.0])
        #expect(transcript.segments.map(\.speaker) == ["Caller", "Agent", "Agent", "Caller"])
        #expect(transcript.wordCount == 6 + 1 + 5 + 2)
    }

    @Test func speakersAreTheLegsRoles() {
        #expect(TranscriptSegment.speakerName(role: "agent", leg: 1) == "Agent")
        #expect(TranscriptSegment.speakerName(role: nil, leg: 1) == "Speaker 2")
    }

    @Test func plainTextHasAClockAndASpeakerPerLine() {
        let lines = transcript.plainText.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[2] == "[00:01:12] Agent: I can refund that <today>")
        #expect(lines[0] == "[00:00:00] Caller: I want to cancel my account")
    }

    @Test func webVTTHasVoiceSpansAndEscapedText() {
        let vtt = transcript.webVTT
        #expect(vtt.hasPrefix("WEBVTT\n\n00:00:00.500 --> 00:00:02.250\n<v Caller>I want to cancel my account\n"))
        #expect(vtt.contains("00:01:12.300 --> 00:01:14.900\n<v Agent>I can refund that &lt;today&gt;\n"))
    }

    @Test func srtIsNumberedWithCommaMilliseconds() {
        let cues = transcript.srt.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(cues.count == 4)
        #expect(cues[3] == "4\n00:01:15,000 --> 00:01:17,500\nCaller: Thanks, bye\n")
    }

    @Test func writesFourFilesWhoseJSONHasEveryField() throws {
        try withScratchFolder { folder throws in
            let files = TranscriptFiles(directory: folder.path)
            try files.write(transcript)
            #expect(
                files.all.map { URL(fileURLWithPath: $0).lastPathComponent }
                    == ["call.transcript.json", "call.vtt", "call.srt", "call.txt"])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
                $0.hasPrefix(".")
            }
            #expect(leftovers.isEmpty)
            // Parsed without the Codable types, as a client of the file would.
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files.json)))
                    as? [String: Any])
            #expect(json["engine"] as? String == "test")
            #expect(json["language"] as? String == "en")
            let segments = try #require(json["segments"] as? [[String: Any]])
            #expect(segments.count == 4)
            for segment in segments {
                #expect(Set(segment.keys) == ["start", "end", "speaker", "leg", "text", "confidence", "words"])
            }
            #expect(segments[3]["confidence"] is NSNull)
            let words = try #require(segments[0]["words"] as? [[String: Any]])
            #expect(words.first?["word"] as? String == "I")
            // A word's probability where the engine gave one; left out where it did not.
            #expect(words.map { $0["probability"] as? Double } == [0.93, nil])
            #expect(Set(words[1].keys) == ["word", "start", "end"])
            #expect(try String(contentsOfFile: files.text, encoding: .utf8) == transcript.plainText)
        }
    }

    @Test func unwritableFolderIsAnErrorNamingIt() throws {
        let files = TranscriptFiles(directory: "/proc/callaudio-not-here")
        #expect(throws: (any Error).self) { try files.write(transcript) }
        #expect(!FileManager.default.fileExists(atPath: files.json))
    }
}
