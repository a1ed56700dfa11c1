import Foundation
import Logging
import ServiceLifecycle

/// Keeps a queue's history from growing without end: every `interval`, deletes the history of finished jobs
/// older than `retention` (the jobs' rows stay). Runs in every `worker` and `serve` process; several doing it
/// at once is harmless.
public struct QueueHousekeeping: Service {
    let queue: any JobQueue
    let retention: TimeInterval
    let interval: TimeInterval
    let logger: Logger

    public init(queue: any JobQueue, retention: TimeInterval, interval: TimeInterval = 3_600, logger: Logger) {
        self.queue = queue
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        repeat {
            do {
                let pruned = try await queue.pruneHistory(before: Date().addingTimeInterval(-retention))
                if pruned > 0 { logger.info("pruned job history", metadata: ["entries": "\(pruned)"]) }
            } catch {
                logger.error("pruning job history failed", metadata: ["error": "\(error)"])
            }
        } while (try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(self.interval)) }) != nil
    }
}
