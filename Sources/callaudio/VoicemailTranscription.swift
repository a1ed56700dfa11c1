import CallAudio
import CallTranscription
import CallVoicemail
import Foundation

/// The transcription stage as the voicemail pipeline asks for it: the cleaned message, as one caller leg,
/// through the chosen engine, its segments joined into the text the email shows. Which engine it uses, and
/// why, is said in one line when transcription starts (after the audio is done, so bad input stays one line).
struct VoicemailTranscription: VoicemailTranscriber {
    let choice: TranscriberChoice
    let model: String
    let explanation: String
    let language: String
    let denoise: NoiseSuppressor.Level

    func transcribe(audioAt path: String) throws -> String {
        FileHandle.standardError.write(Data("callaudio: \(explanation)\n".utf8))
        let transcriber = CallTranscriber(
            engine: try choice.makeTranscriber(model: model), language: language, denoise: denoise)
        let transcript = try transcriber.transcribe([CallRecipe.Leg(path: path, role: "caller")])
        return transcript.segments.map(\.text).joined(separator: " ")
    }
}

extension TranscriptionOptions {
    /// The engine these options choose, for the voicemail pipeline.
    func makeVoicemailTranscriber() throws -> VoicemailTranscription {
        let (choice, explanation) = try TranscriberChoice.resolve(transcriber)
        return VoicemailTranscription(
            choice: choice, model: transcriptionModel, explanation: explanation, language: language,
            denoise: transcriptionDenoise)
    }
}
