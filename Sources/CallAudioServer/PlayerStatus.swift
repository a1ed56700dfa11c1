import CallRecordings

/// `GET /recordings/{id}/status`: how a recording and its transcript stand, as its JSON says (`status`, `stage`,
/// `progress`, `error`, `transcript`, `transcript_error`), for the player page to poll while either is being made.
///
/// The page carries the same JSON, encoded the same way, in its `data-status`: the script sees that something
/// changed by comparing the two texts, and asks the server for the page again rather than render anything itself.
struct PlayerStatus: Encodable {
    var status: String
    var stage: String?
    var progress: Double?
    var error: String?
    var transcript: String
    var transcriptError: String?

    enum CodingKeys: String, CodingKey {
        case status, stage, progress, error, transcript
        case transcriptError = "transcript_error"
    }

    init(_ recording: RecordingResource) {
        status = recording.status
        stage = recording.stage
        progress = recording.progress
        error = recording.error
        transcript = recording.transcript
        transcriptError = recording.transcriptError
    }
}
