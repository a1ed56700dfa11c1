import CallAudio
import Jobs

/// A `transcribe` job: the transcript of a recording whose audio is done, written beside it (the call's
/// `call.transcript.json`, `.vtt`, `.srt`, `.txt`) and recorded in its `call.json`.
public struct TranscribeRecipe: Sendable, Equatable, Codable {
    /// The recipe that made the recording: its legs, offsets, roles, output folder and `transcription`.
    public var call: CallRecipe
    /// The call or voicemail job that asked for it, when one did.
    public var parentJob: Int64?

    public init(call: CallRecipe, parentJob: Int64? = nil) {
        self.call = call
        self.parentJob = parentJob
    }

    /// The request for the transcript of the recording `job` made, when its recipe asks for one: keyed by the
    /// job, so that a retried or re-run job asks once.
    static func followUp(of job: Job, recipe: CallRecipe) throws -> JobRequest? {
        guard recipe.transcription != nil else { return nil }
        return try JobRequest(
            payload: .transcribe(TranscribeRecipe(call: recipe, parentJob: job.id)),
            idempotencyKey: "transcribe:job-\(job.id)")
    }
}
