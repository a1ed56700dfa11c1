import Foundation
import Synchronization

/// Remembers the `webhook-id` of every message accepted within the signing tolerance, so that a captured
/// message sent again is refused. Ids older than the window need no memory: their timestamps refuse them.
public protocol ReplayGuard: Sendable {
    /// True the first time `id` is offered within the window; false for a replay.
    func admit(_ id: String, now: Date) async throws -> Bool
}

/// The window a message id is remembered for: twice the signing tolerance, so a message stamped at the edge
/// of the tolerance in either direction is still known.
public let replayWindow = WebhookSigner.tolerance * 2

/// One process's memory of message ids: enough for a single API node.
public final class InMemoryReplayGuard: ReplayGuard {
    private let seen = Mutex<[String: Date]>([:])

    public init() {}

    public func admit(_ id: String, now: Date = Date()) -> Bool {
        seen.withLock { seen in
            seen = seen.filter { $0.value > now }
            guard seen[id] == nil else { return false }
            seen[id] = now.addingTimeInterval(replayWindow)
            return true
        }
    }
}
