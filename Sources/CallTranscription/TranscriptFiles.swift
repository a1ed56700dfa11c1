import CallAudio
import Foundation

/// The four transcript files written beside a call's audio: `call.transcript.json`, `call.vtt`, `call.srt`
/// and `call.txt` (for the output name `call`). Each is written under a temporary name and renamed into place.
public struct TranscriptFiles: Sendable, Hashable, Codable {
    public var json: String
    public var vtt: String
    public var srt: String
    public var text: String

    /// The paths of the transcript files of the outputs named `name` in `directory`.
    public init(directory: String, name: String = "call") {
        let base = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        json = base + ".transcript.json"
        vtt = base + ".vtt"
        srt = base + ".srt"
        text = base + ".txt"
    }

    /// Every path, JSON first.
    public var all: [String] { [json, vtt, srt, text] }

    /// Writes `transcript` to the four files.
    /// - Throws: `AudioError.writeFailed` naming the file that could not be written.
    public func write(_ transcript: Transcript) throws {
        try OutputFile.write(Data(transcript.webVTT.utf8), to: vtt)
        try OutputFile.write(Data(transcript.srt.utf8), to: srt)
        try OutputFile.write(Data(transcript.plainText.utf8), to: text)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try OutputFile.write(try encoder.encode(transcript), to: json)
    }
}
