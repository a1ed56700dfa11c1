import Foundation

/// How long a job waits before its next attempt after a transient failure: exponential backoff with jitter.
///
/// The delay after attempt `n` (1-based) is `base * 2^(n-1)`, capped at `maximum`, then scaled by a random
/// factor in `1 - jitter ... 1` so that jobs failing together do not retry together.
public struct RetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var maximum: TimeInterval
    /// 0 (none) ... 1 (delay anywhere between 0 and the full backoff).
    public var jitter: Double

    public init(base: TimeInterval = 5, maximum: TimeInterval = 600, jitter: Double = 0.25) {
        self.base = base
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The delay before the attempt after `attempt`; `random` is a number in 0 ..< 1.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let exponent = Double(max(attempt - 1, 0))
        let backoff = min(base * pow(2, exponent), maximum)
        return backoff * (1 - jitter * random)
    }
}
