import Synchronization

/// Tells a running job to stop: set from outside (a worker's heartbeat that lost its lease, a cancel, shutdown)
/// and checked by the stream between chunks, so the work stops within one chunk and publishes nothing.
public final class CancellationFlag: Sendable {
    private let cancelled = Atomic(false)
    private let publishingConfirmation: (@Sendable () -> Bool)?

    /// `confirmPublishing`, when given, is asked right before outputs get their final names, the point of no
    /// return: a worker asks its queue whether it still holds the job's lease, so that a worker paused past its
    /// lease (a GC pause, SIGSTOP, a slow disk) never publishes over the work of the one that took the job over.
    public init(confirmPublishing: (@Sendable () -> Bool)? = nil) {
        self.publishingConfirmation = confirmPublishing
    }

    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    public func cancel() { cancelled.store(true, ordering: .releasing) }

    /// Throws `AudioError.Code.cancelled` once the flag is set.
    public func check() throws(AudioError) {
        if isCancelled { throw AudioError(.cancelled, "stopped before it finished (cancelled or taken over)") }
    }

    /// Throws `AudioError.Code.cancelled` when the flag is set or the confirmation given at `init` refuses
    /// (which also sets the flag): called once, right before a run's outputs are published.
    public func confirmPublishing() throws(AudioError) {
        try check()
        if let publishingConfirmation, !publishingConfirmation() {
            cancel()
            try check()
        }
    }
}
