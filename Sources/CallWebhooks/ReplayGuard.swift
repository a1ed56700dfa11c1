import Foundation
import Synchronization

/// Remembers the `webhook-id` of every message accepted within the signing tolerance, so that a captured
/// message sent again is refused. Ids older than the tolerance need no memory: their timestamps refuse them.
///
/// One process's memory: API nodes behind a load balancer each keep their own, and a replay sent to another
/// node is stopped there only by the call id's idempotency (one recording per call id).
public final class ReplayGuard: Sendable {
    private let seen = Mutex<[String: Date]>([:])
    private let window: TimeInterval

    public init(window: TimeInterval = WebhookSigner.tolerance * 2) {
        self.window = window
    }

    /// True the first time `id` is offered within the window; false for a replay.
    public func admit(_ id: String, now: Date = Date()) -> Bool {
        seen.withLock { seen in
            seen = seen.filter { $0.value > now }
            guard seen[id] == nil else { return false }
            seen[id] = now.addingTimeInterval(window)
            return true
        }
    }
}
