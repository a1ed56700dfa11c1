import Foundation
import Synchronization

/// Where the queue reads the time: the system clock in production, a hand-moved clock in tests, so that
/// backoff and lease timing are tested without sleeping.
public protocol JobClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct SystemJobClock: JobClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told to.
public final class ManualJobClock: JobClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 += seconds }
    }
}
