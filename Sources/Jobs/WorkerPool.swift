import Dispatch
import Foundation
import Logging
import ServiceLifecycle

/// A process's workers: `workers` slots, each claiming jobs by priority and running them on its own Dispatch
/// queue, so CPU-bound audio work never occupies Swift concurrency's cooperative pool.
///
/// As a `Service` it runs in a `ServiceGroup`: on graceful shutdown (SIGTERM, SIGINT) it stops claiming, lets
/// running jobs finish within `gracePeriod`, and gives the rest back to the queue for another worker.
public struct WorkerPool: Service {
    public struct Configuration: Sendable {
        /// Jobs run at once by this process.
        public var workers: Int
        /// How long a claim holds a job without a heartbeat; the heartbeat renews it every third of this.
        public var leaseDuration: TimeInterval
        /// The longest an idle worker waits before looking for due work again.
        public var pollInterval: TimeInterval
        /// How long running jobs may take to finish after shutdown begins.
        public var gracePeriod: TimeInterval
        /// Names this process's workers in leases and logs (`host:pid` by default).
        public var name: String

        public init(
            workers: Int = ProcessInfo.processInfo.activeProcessorCount, leaseDuration: TimeInterval = 30,
            pollInterval: TimeInterval = 1, gracePeriod: TimeInterval = 60,
            name: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        ) {
            self.workers = workers
            self.leaseDuration = leaseDuration
            self.pollInterval = pollInterval
            self.gracePeriod = gracePeriod
            self.name = name
        }
    }

    let queue: any JobQueue
    let runner: any JobRunner
    let observer: (any JobOutcomeObserver)?
    let configuration: Configuration
    let logger: Logger

    /// - Parameter observer: asked for the jobs to queue when a job succeeds or goes dead (webhook events).
    public init(
        queue: any JobQueue, runner: any JobRunner, observer: (any JobOutcomeObserver)? = nil,
        configuration: Configuration, logger: Logger
    ) {
        self.queue = queue
        self.runner = runner
        self.observer = observer
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs the workers until graceful shutdown (or cancellation) and every slot has stopped.
    public func run() async {
        let shutdown = WorkerShutdown()
        let gracePeriod = configuration.gracePeriod
        await withGracefulShutdownHandler {
            // Children answer whether they were a worker slot: the pool ends when every slot has.
            await withTaskGroup(of: Bool.self) { group in
                for slot in 0..<configuration.workers {
                    let worker = WorkerSlot(
                        name: "\(configuration.name):\(slot)", queue: queue, runner: runner, observer: observer,
                        configuration: configuration, shutdown: shutdown, logger: logger)
                    group.addTask {
                        await worker.run()
                        return true
                    }
                }
                group.addTask {
                    guard await shutdown.stopClaiming.wait() != nil else { return false }
                    try? await Task.sleep(for: .seconds(gracePeriod))
                    shutdown.graceOver.set()
                    return false
                }
                var running = configuration.workers
                while running > 0, let wasSlot = await group.next() {
                    if wasSlot { running -= 1 }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            logger.info("shutting down: no new claims", metadata: ["grace": "\(gracePeriod)"])
            shutdown.stopClaiming.set()
        }
    }
}

/// The two moments of a graceful shutdown, as seen by every slot.
struct WorkerShutdown: Sendable {
    /// Set when shutdown begins: slots take no new job.
    let stopClaiming = Completion<Void>()
    /// Set when the grace period is over: slots give their running jobs back.
    let graceOver = Completion<Void>()
}
