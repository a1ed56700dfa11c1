import Crypto
import Foundation
import Synchronization

/// Remembers the `webhook-id` of every message accepted within the signing tolerance, so that a captured
/// message sent again is refused. Ids older than the window need no memory: their timestamps refuse them.
public protocol ReplayGuard: Sendable {
    /// True the first time `id` is offered within the window; false for a replay.
    func admit(_ id: String, now: Date) -> Bool
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

/// Message ids remembered as files in a folder every API node shares (beside the recordings), so that a replay
/// sent to another node behind the load balancer is refused too: admitting an id is creating its file with
/// `O_EXCL`, which exactly one node wins, on one machine or over NFS v3 and later. Files past the window are
/// removed now and then by whichever node looks.
public final class SharedReplayGuard: ReplayGuard {
    private let folder: URL
    private let lastSweep = Mutex<Date>(.distantPast)

    /// - Throws: when `folder` cannot be created.
    public init(folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
    }

    public func admit(_ id: String, now: Date = Date()) -> Bool {
        sweepIfDue(now: now)
        let name = SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
        let path = folder.appendingPathComponent(name).path
        if Self.createExclusively(path) { return true }
        // A file left from before the window (not swept yet) does not make a new message a replay.
        guard let created = Self.modified(path), now.timeIntervalSince(created) > replayWindow else { return false }
        unlink(path)
        return Self.createExclusively(path)
    }

    private static func createExclusively(_ path: String) -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// Removes ids older than the window, at most once a window.
    private func sweepIfDue(now: Date) {
        let due = lastSweep.withLock { last in
            guard now.timeIntervalSince(last) > replayWindow else { return false }
            last = now
            return true
        }
        guard due else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let path = folder.appendingPathComponent(name).path
            if let created = Self.modified(path), now.timeIntervalSince(created) > replayWindow { unlink(path) }
        }
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
