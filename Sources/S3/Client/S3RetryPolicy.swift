/// When and how soon a failed request is tried again: on 5xx (`InternalError`, `SlowDown` 503), 429 throttling and
/// connection failures, never on another 4xx; a few attempts, each waiting a random time up to an exponentially
/// growing bound ("full jitter", so that many clients that failed together do not retry together).
public struct S3RetryPolicy: Sendable {
    /// Attempts in all, the first included (1: no retry).
    public var maxAttempts: Int
    /// The bound of the wait before the first retry; it doubles for each retry after it.
    public var baseDelay: Duration
    /// The largest bound.
    public var maxDelay: Duration
    /// Waits; tests pass one that returns at once or records the delays.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(2),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// Four attempts, waits bounded by 100, 200 and 400 ms.
    public static let standard = S3RetryPolicy()

    /// No retry at all.
    public static let never = S3RetryPolicy(maxAttempts: 1)

    /// The wait before retry number `retry` (1 for the second attempt): random, from zero to
    /// `min(maxDelay, baseDelay * 2^(retry-1))`.
    public func delay(beforeRetry retry: Int) -> Duration {
        let bound = min(maxDelay, baseDelay * (1 << min(max(retry - 1, 0), 20)))
        let nanoseconds = bound.components.seconds * 1_000_000_000 + bound.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }

    /// Whether an answer with `status` (and S3's `code`) is worth another attempt.
    static func isRetryable(status: Int, code: String?) -> Bool {
        if status >= 500 || status == 429 { return true }
        return ["SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "InternalError"].contains(code ?? "")
            && status != 403
    }
}
