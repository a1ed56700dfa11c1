/// The seam for the transcription stage: turns the finished `voicemail.mp3` into text.
///
/// The voicemail pipeline only needs this one call; an engine (embedded, HTTP, command) plugs in here.
public protocol VoicemailTranscriber: Sendable {
    /// The transcript of the recording at `path`; throws when the engine fails.
    func transcribe(audioAt path: String) throws -> String
}
