import Foundation
import Logging
import ServiceLifecycle

/// Announces the jobs that died where no worker saw them die: a lease that ran out on the job's last attempt
/// (its worker killed or gone), turned `dead` by whichever process next looked at the queue; and a death a
/// worker recorded but was killed before it queued the announcement. Every `interval` it asks the observer
/// about the jobs that went dead since its last look and queues what it answers; the observer's requests carry
/// keys derived from the job, so a death announced already is not announced twice.
public struct DeathAnnouncements: Service {
    let queue: any JobQueue
    let observer: any JobOutcomeObserver
    let interval: TimeInterval
    let logger: Logger

    /// How far back the first look goes, and how much each look overlaps the one before (clocks of several
    /// machines differ a little).
    static let lookBack: TimeInterval = 3_600
    static let overlap: TimeInterval = 60

    public init(
        queue: any JobQueue, observer: any JobOutcomeObserver, interval: TimeInterval = 30, logger: Logger
    ) {
        self.queue = queue
        self.observer = observer
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        var since = Date().addingTimeInterval(-Self.lookBack)
        repeat {
            let started = Date()
            do {
                try await announce(deadSince: since)
                since = started.addingTimeInterval(-Self.overlap)
            } catch {
                logger.error("announcing dead jobs failed", metadata: ["error": "\(error)"])
            }
        } while (try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(self.interval)) }) != nil
    }

    /// Queues the announcements of every job that went dead at or after `since`.
    /// - Returns: how many announcement jobs were new.
    @discardableResult
    public func announce(deadSince since: Date) async throws -> Int {
        var new = 0
        for job in try await queue.jobs(matching: JobFilter(status: .dead, updatedSince: since), limit: 10_000) {
            for request in try await observer.requests(after: job) where try await queue.enqueue(request).isNew {
                new += 1
                logger.info("announced a death no worker saw", metadata: ["job": "\(job.id)"])
            }
        }
        return new
    }
}
