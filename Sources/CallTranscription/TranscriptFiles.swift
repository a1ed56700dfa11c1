import AudioCore
import CallAudio
import Foundation

/// The four transcript files written beside a call's audio: `call.transcript.json`, `call.vtt`, `call.srt`
/// and `call.txt` (for the output name `call`), published together.
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

    /// The call's report beside the transcript files (`call.json`), which names them.
    public var report: String { String(json.dropLast(".transcript.json".count)) + ".json" }

    /// Writes `transcript` to the four files, made in a staging folder and published together (`StagedOutputs`)
    /// once `permission` allows; with `report`, the call's report that names them is written last, in the same
    /// publication, so a reader never finds a report naming transcript files that are not there.
    /// - Throws: `AudioError.writeFailed` naming the file that could not be written, `.cancelled` when
    ///   `permission` refuses.
    public func write(
        _ transcript: Transcript, report callReport: CallReport? = nil,
        permission: CancellationFlag = CancellationFlag()
    ) throws {
        let folder = URL(fileURLWithPath: json).deletingLastPathComponent()
        let names = (all + (callReport == nil ? [] : [report])).map { URL(fileURLWithPath: $0).lastPathComponent }
        let staged = try StagedOutputs(in: folder, marker: names[0])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let contents = [
            try encoder.encode(transcript), Data(transcript.webVTT.utf8), Data(transcript.srt.utf8),
            Data(transcript.plainText.utf8),
        ]
        for (name, data) in zip(names, contents) { try OutputFile.write(data, to: staged.path(of: name)) }
        try callReport?.write(to: staged.path(of: names[4]))
        try staged.publish(names, permission: permission)
    }
}
