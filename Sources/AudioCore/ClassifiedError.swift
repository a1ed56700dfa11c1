/// The one shape of every error this package reports to a program rather than only to a person: a stable code,
/// the message in the user's words, and one flag that says whether doing the same again can help.
///
/// Audio, transcription, email and webhook errors all conform, so that the job queue keeps any of them on a failed
/// job the same way (`JobFailure.init(_:)`): a permanent failure ends the job at once; any other is retried with
/// backoff.
public protocol ClassifiedError: Error, CustomStringConvertible {
    /// Stable across releases, kept on failed jobs and matched by scripts: `noAudio`, `transcription.rejected`,
    /// `smtp.unavailable`, `webhook.gone`.
    var errorCode: String { get }
    /// What went wrong, in one line, without the file it concerns.
    var message: String { get }
    /// The file the error concerns, when there is one.
    var path: String? { get }
    /// True when running the same work again cannot succeed (bad input, a refusal); false when a later attempt
    /// may get past it (a full disk, a server that is down or busy).
    var isPermanent: Bool { get }
}

extension ClassifiedError {
    public var path: String? { nil }
}
