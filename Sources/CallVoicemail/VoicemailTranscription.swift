import CallAudio
import CallTranscription
import Foundation
import HTTPExchange

/// The transcription stage as the voicemail pipeline asks for it: the cleaned message, as one caller leg,
/// through the chosen engine, its segments joined into the text the email shows.
public struct VoicemailTranscription: VoicemailTranscriber {
    let choice: TranscriberChoice
    let model: String
    let language: String
    /// Noise suppression before recognition, or nil to choose it from the message's noise.
    let denoise: NoiseSuppressor.Level?
    /// Told which engine runs, and why, when transcription starts (after the audio is done, so bad input stays
    /// one line); the CLI prints it.
    let announce: (@Sendable (String) -> Void)?
    let explanation: String
    let transport: any HTTPTransport

    public init(
        engine: String?, model: String = OpenAITranscriber.defaultModel, language: String = "en",
        denoise: NoiseSuppressor.Level? = nil, transport: any HTTPTransport,
        announce: (@Sendable (String) -> Void)? = nil
    ) throws {
        (choice, explanation) = try TranscriberChoice.resolve(engine)
        self.model = model
        self.language = language
        self.denoise = denoise
        self.transport = transport
        self.announce = announce
    }

    public func transcribe(audioAt path: String) throws -> String {
        announce?(explanation)
        let transcriber = CallTranscriber(
            engine: try choice.makeTranscriber(model: model, transport: transport), language: language, denoise: denoise
        )
        let transcript = try transcriber.transcribe([CallRecipe.Leg(path: path, role: "caller")])
        return transcript.segments.map(\.text).joined(separator: " ")
    }
}
