import AudioCore
import Foundation

extension CallReport {
    /// The transcript made of a call, as `call.json` records it (nil when the call was not transcribed).
    public struct Transcript: Codable, Sendable, Equatable {
        /// `call.transcript.json`, `call.vtt`, `call.srt` and `call.txt`.
        public var json: String
        public var vtt: String
        public var srt: String
        public var text: String
        /// The engine and model that produced it (`pocketsphinx` / `en-us`, `openai` / `whisper-1`).
        public var engine: String
        public var model: String
        public var language: String
        public var wordCount: Int
        /// Seconds the transcription took.
        public var seconds: Double
        /// Seconds of call transcribed per second taken (x realtime).
        public var speed: Double

        public init(
            json: String, vtt: String, srt: String, text: String, engine: String, model: String, language: String,
            wordCount: Int, seconds: Double, speed: Double
        ) {
            self.json = json
            self.vtt = vtt
            self.srt = srt
            self.text = text
            self.engine = engine
            self.model = model
            self.language = language
            self.wordCount = wordCount
            self.seconds = seconds
            self.speed = speed
        }
    }

    /// Writes this report as pretty JSON at `path` (the call's `call.json`), atomically: for stages that run
    /// after the audio, such as transcription, to record what they added.
    public func write(to path: String) throws {
        try ReportWriter.write(self, to: path)
    }

    /// Reads back the report `write(to:)` or the processor wrote (a call's `call.json`): for stages that run
    /// after the audio, in another process.
    /// - Throws: `AudioError` naming the file when it is missing or not a report.
    public static func read(from path: String) throws(AudioError) -> CallReport {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AudioError(.fileNotFound, path: path, "cannot be read (the recording's report)")
        }
        do {
            return try JSONDecoder().decode(CallReport.self, from: data)
        } catch {
            throw AudioError(.unsupportedFormat, path: path, "is not a recording's report (\(error))")
        }
    }
}
