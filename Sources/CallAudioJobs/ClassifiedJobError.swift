import CallWebhooks

/// An error of a job's own stage that says whether another attempt can help, so the queue retries it or lets
/// it die at once (`JobFailure.init(_:)`).
protocol ClassifiedJobError: Error {
    /// The stable code kept on the failed job (`webhook.gone`, `smtp.rejected`, ...).
    var failureCode: String { get }
    var message: String { get }
    var isPermanent: Bool { get }
}

extension WebhookError: ClassifiedJobError {
    var failureCode: String { "webhook.\(kind.rawValue)" }
}
